import { isThrottlingError, isTransientError } from './sdk-errors';

/**
 * Retries on top of the SDK's own (3 attempts): a transform job runs for minutes to hours, and a watcher that gives up
 * on the first burst of throttling strands the user without a result while the job keeps running.
 */

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Also retry 5xx and dropped connections; only for calls that are safe to repeat. */
  retryTransient: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, retryTransient: true };

/** Exponential: base, 2×base, 4×base, … capped at max. `attempt` counts from 0. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
}

export interface RetryNotice {
  error: unknown;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
}

/** Calls `call` until it succeeds, a non-retryable error comes, or the attempts run out (then the last error is thrown). */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  sleep: Sleep,
  onRetry: (notice: RetryNotice) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = isThrottlingError(error) || (policy.retryTransient && isTransientError(error));
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(attempt - 1, policy.baseDelayMs, policy.maxDelayMs);
      onRetry({ error, attempt, maxAttempts: policy.maxAttempts, delayMs });
      await sleep(delayMs);
    }
  }
}
