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

type ErrorClass = new (...args: never[]) => TfserveError;

/** Each gRPC code and the errors that become it; no class here extends another, so the order does not matter. */
const CODES: [grpc.status, ErrorClass[]][] = [
  [grpc.status.INVALID_ARGUMENT, [InvalidArgumentError]],
  [grpc.status.NOT_FOUND, [NotFoundError]],
  [grpc.status.ALREADY_EXISTS, [ConflictError]],
  [grpc.status.RESOURCE_EXHAUSTED, [InsufficientStorageError, ResourceExhaustedError, PayloadTooLargeError]],
  [grpc.status.OUT_OF_RANGE, [OutOfRangeError]],
  [grpc.status.UNIMPLEMENTED, [UnimplementedError]],
  // A model the engine cannot run (an op with no kernel, a corrupt file): the spec's "package can't be loaded".
  [grpc.status.FAILED_PRECONDITION, [FailedPreconditionError, UnsupportedModelError, FormatError]],
  [grpc.status.UNAVAILABLE, [UnavailableError]],
  [grpc.status.DEADLINE_EXCEEDED, [DeadlineExceededError]],
];

/** The gRPC status for an error; anything that is not a tfserve error is a bug or an I/O failure: INTERNAL. */
export function grpcStatusOf(error: unknown): grpc.status {
  const found = CODES.find(([, types]) => types.some((type) => error instanceof type));
  return found ? found[0] : grpc.status.INTERNAL;
}
