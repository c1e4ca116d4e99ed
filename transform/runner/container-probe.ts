import { parseExecutionParameters, type ExecutionParameters } from './batch-settings';

/**
 * What the runner asks a container before the first invocation, as Batch Transform does (spec §8.4): `GET /ping`
 * until 200, each try bounded to 2 s, then `GET /execution-parameters` once.
 */

const PING_TRY_MS = 2000;
const PING_INTERVAL_MS = 200;

export interface WaitForPingOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Checked between tries: a child container that exited will never answer. Returns why, or undefined. */
  gone?: () => string | undefined;
}

export async function waitForPing(url: string, options: WaitForPingOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const gone = options.gone?.();
    if (gone !== undefined) throw new Error(`the container at ${url} stopped before it was ready: ${gone}`);
    last = await pingOnce(url);
    if (last === 'ok') return;
    if (Date.now() + PING_INTERVAL_MS > deadline) {
      throw new Error(`the container at ${url} did not answer GET /ping with 200 within ${options.timeoutMs / 1000} s (last: ${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
  }
}

async function pingOnce(url: string): Promise<string> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(PING_TRY_MS) });
    const body = (await response.text()).slice(0, 300);
    return response.status === 200 ? 'ok' : `${response.status} ${body}`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A container without the endpoint (the peer answers 404), or with a body that is not JSON, offers nothing. */
export async function fetchExecutionParameters(url: string): Promise<ExecutionParameters> {
  try {
    const response = await fetch(`${url}/execution-parameters`, { signal: AbortSignal.timeout(PING_TRY_MS) });
    const text = await response.text();
    return response.status === 200 ? parseExecutionParameters(JSON.parse(text)) : {};
  } catch {
    return {};
  }
}
