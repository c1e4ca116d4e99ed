import { TfserveError } from '../../errors';

/** A user hook threw, or returned something tfserve cannot use (500: the fault is in the model archive's code). */
export class HookError extends TfserveError {
  override name = 'HookError';
  readonly status = 500;
}

/** `code/` holds something tfserve cannot serve with; stops start-up. */
export class HookModuleError extends Error {
  override name = 'HookModuleError';
}

/** Hooks may throw anything, and under a VM context their Errors are not instances of this realm's Error. */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
