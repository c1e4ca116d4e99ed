import { createInterface } from 'node:readline/promises';
import type { RemoteJobLog } from './run-remote-job';

/** The terminal side of a remote run: progress lines, the stop question, Ctrl-C. */

/**
 * Progress as text lines. On a terminal, `progress` keeps one status line rewritten in place (erased before any other
 * line); elsewhere (CI logs, pipes) it prints nothing, and the status changes and heartbeats are the record.
 */
export function lineLog(write: (text: string) => void, isTerminal = false): RemoteJobLog {
  let statusShown = false;
  const line = (prefix: string) => (message: string) => {
    write(`${statusShown ? '\r\x1b[2K' : ''}${prefix}${message}\n`);
    statusShown = false;
  };
  return {
    info: line(''),
    warn: line('warning: '),
    error: line('error: '),
    ...(isTerminal && {
      progress: (message: string) => {
        write(`\r\x1b[2K${message}`);
        statusShown = true;
      },
    }),
  };
}

/**
 * Asks on the terminal whether to stop the job. Without a terminal there is nobody to ask, and stopping discards the
 * job's output, so the answer is no. A second Ctrl-C at the prompt also means no.
 */
export async function askToStop(
  jobName: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<boolean> {
  if (!input.isTTY) {
    output.write(`stdin is not a terminal, so ${jobName} is not stopped without asking\n`);
    return false;
  }
  const prompt = createInterface({ input, output });
  const cancel = new AbortController();
  prompt.once('SIGINT', () => cancel.abort());
  try {
    const answer = await prompt.question(`\nStop transform job ${jobName}? SageMaker keeps no output of a stopped job. [y/N] `, {
      signal: cancel.signal,
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false;
  } finally {
    prompt.close();
  }
}

/** An AbortSignal that fires on the first SIGINT, and its undo. Later SIGINTs get Node's default (exit). */
export function abortOnInterrupt(signals: NodeJS.EventEmitter = process): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  signals.once('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => signals.removeListener('SIGINT', onInterrupt) };
}
