import { TfserveError } from '../errors';

/**
 * The model store's refusals. The HTTP container answers with `status`; the Edge agent maps them to gRPC codes
 * (ALREADY_EXISTS, RESOURCE_EXHAUSTED).
 */

/** A model name that is already loaded or loading (409: SageMaker then knows the load is not needed). */
export class ConflictError extends TfserveError {
  override name = 'ConflictError';
  readonly status = 409;
}

/** Loading the model would exceed the memory budget (507: SageMaker unloads unused models and retries, contract A9). */
export class InsufficientStorageError extends TfserveError {
  override name = 'InsufficientStorageError';
  readonly status = 507;
}
