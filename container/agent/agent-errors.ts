import * as grpc from '@grpc/grpc-js';
import {
  DeadlineExceededError,
  FailedPreconditionError,
  FormatError,
  InvalidArgumentError,
  NotFoundError,
  PayloadTooLargeError,
  TfserveError,
  UnavailableError,
  UnsupportedModelError,
} from '../errors';
import { ConflictError, InsufficientStorageError } from '../models/model-errors';

/**
 * The Edge agent's refusals that the HTTP container has no use for, and the one mapping from every tfserve error
 * to the gRPC status the agent answers with. The HTTP statuses are what the same refusal would be over HTTP.
 */

/** A value outside the range the agent accepts: a capture timestamp in the future (OUT_OF_RANGE). */
export class OutOfRangeError extends TfserveError {
  override name = 'OutOfRangeError';
  readonly status = 400;
}

/** A bounded resource is full: the capture buffer (RESOURCE_EXHAUSTED). */
export class ResourceExhaustedError extends TfserveError {
  override name = 'ResourceExhaustedError';
  readonly status = 429;
}

/** A part of the API tfserve does not implement: shared-memory tensors (UNIMPLEMENTED). */
export class UnimplementedError extends TfserveError {
  override name = 'UnimplementedError';
  readonly status = 501;
}

const CODES: [new (...args: never[]) => TfserveError, grpc.status][] = [
  [InvalidArgumentError, grpc.status.INVALID_ARGUMENT],
  [NotFoundError, grpc.status.NOT_FOUND],
  [ConflictError, grpc.status.ALREADY_EXISTS],
  [InsufficientStorageError, grpc.status.RESOURCE_EXHAUSTED],
  [ResourceExhaustedError, grpc.status.RESOURCE_EXHAUSTED],
  [PayloadTooLargeError, grpc.status.RESOURCE_EXHAUSTED],
  [OutOfRangeError, grpc.status.OUT_OF_RANGE],
  [UnimplementedError, grpc.status.UNIMPLEMENTED],
  // A model the engine cannot run (an op with no kernel, a corrupt file): the spec's "package can't be loaded".
  [FailedPreconditionError, grpc.status.FAILED_PRECONDITION],
  [UnsupportedModelError, grpc.status.FAILED_PRECONDITION],
  [FormatError, grpc.status.FAILED_PRECONDITION],
  [UnavailableError, grpc.status.UNAVAILABLE],
  [DeadlineExceededError, grpc.status.DEADLINE_EXCEEDED],
];

/** The gRPC status for an error; anything that is not a tfserve error is a bug or an I/O failure: INTERNAL. */
export function grpcStatusOf(error: unknown): grpc.status {
  for (const [type, code] of CODES) if (error instanceof type) return code;
  return grpc.status.INTERNAL;
}
