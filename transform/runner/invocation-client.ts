import { Pool } from 'undici';

/**
 * `POST /invocations` as Batch Transform sends it: Content-Type = TransformInput.ContentType, Accept =
 * TransformOutput.Accept, one keep-alive connection per concurrent request, each attempt bounded by
 * InvocationsTimeoutInSeconds, and up to InvocationsMaxRetries more attempts when the failure may be transient:
 * - no answer: connection refused/reset, socket closed early, the timeout;
 * - 5xx (the container or its model failed, or is overloaded) and 429 (throttled).
 * Other 4xx answers (bad record, unsupported media type, payload too large) fail at once: resending the same
 * bytes cannot change them.
 */

export interface InvocationClientOptions {
  url: string;
  contentType?: string;
  accept?: string;
  timeoutSeconds: number;
  maxRetries: number;
  /** Sockets kept open: the job's MaxConcurrentTransforms. */
  maxSockets: number;
  /** Pause before retry `attempt` (1-based). Default: 100 ms doubling, at most 2 s. */
  retryDelayMs?: (attempt: number) => number;
}

/** Why an invocation failed for good, after `attempts` tries. `status` is the last HTTP status, if any came. */
export class InvocationError extends Error {
  override name = 'InvocationError';

  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface Attempt {
  status?: number;
  body?: Buffer;
  /** Why there is no usable answer, when there is none. */
  failure?: string;
}

const ERROR_BODY_CHARS = 300;

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

const defaultRetryDelay = (attempt: number) => Math.min(2000, 100 * 2 ** (attempt - 1));

export class InvocationClient {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: InvocationClientOptions) {
    const target = new URL('/invocations', options.url);
    this.path = target.pathname;
    // Pipelining 1: one request at a time per connection, as SageMaker sends them; a connection per concurrent request.
    // undici's own 300 s header and body timeouts are off: InvocationsTimeoutInSeconds (up to 3600) bounds each attempt.
    this.pool = new Pool(target.origin, { connections: options.maxSockets, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  }

  /** The response body of a 2xx answer; throws InvocationError naming `what` (the object and records) otherwise. */
  async invoke(body: Uint8Array, what: string): Promise<Buffer> {
    const delay = this.options.retryDelayMs ?? defaultRetryDelay;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.attempt(body);
      if (answer.failure === undefined && answer.status !== undefined && answer.status < 300) return answer.body ?? Buffer.alloc(0);
      const retryable = answer.status === undefined || isRetryableStatus(answer.status);
      if (!retryable || attempt > this.options.maxRetries) {
        const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
        throw new InvocationError(`POST /invocations for ${what} failed${tries}: ${describe(answer)}`, attempt, answer.status);
      }
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
    }
  }

  close(): void {
    void this.pool.destroy();
  }

  private async attempt(body: Uint8Array): Promise<Attempt> {
    const headers: Record<string, string> = {};
    if (this.options.contentType !== undefined) headers['content-type'] = this.options.contentType;
    if (this.options.accept !== undefined) headers.accept = this.options.accept;
    // The whole exchange is bounded, not only idle time: a container trickling bytes still times out.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new Error(`no complete answer within InvocationsTimeoutInSeconds (${this.options.timeoutSeconds} s)`)),
      this.options.timeoutSeconds * 1000,
    );
    try {
      const response = await this.pool.request({ path: this.path, method: 'POST', headers, body, signal: timeout.signal });
      // arrayBuffer(), not async iteration over the stream: the iterator's promise per chunk cost more than the request
      return { status: response.statusCode, body: Buffer.from(await response.body.arrayBuffer()) };
    } catch (error) {
      return { failure: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describe(attempt: Attempt): string {
  if (attempt.failure !== undefined) return attempt.failure;
  const text = attempt.body?.toString('utf8', 0, ERROR_BODY_CHARS).trim() ?? '';
  return `${attempt.status}${text === '' ? '' : ` ${text}`}`;
}
