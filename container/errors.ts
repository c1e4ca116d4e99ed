/**
 * The error classes that cross the engine and serving seams. Each carries the HTTP status the serving layer
 * answers with; messages name the input, node, file or offset concerned.
 */
export abstract class TfserveError extends Error {
  abstract readonly status: number;
}

/** The request is wrong: unknown input, wrong dtype or shape, malformed body (400). */
export class InvalidArgumentError extends TfserveError {
  override name = 'InvalidArgumentError';
  readonly status = 400;
}

/** The model cannot do what was asked: a stateful signature on frozen variables, a missing signature (400). */
export class FailedPreconditionError extends TfserveError {
  override name = 'FailedPreconditionError';
  readonly status = 400;
}

/** Something asked for does not exist: model, version or signature (404). */
export class NotFoundError extends TfserveError {
  override name = 'NotFoundError';
  readonly status = 404;
}

/** A file is corrupt or in a form tfserve does not read; the message names the file and byte offset (500 at load). */
export class FormatError extends TfserveError {
  override name = 'FormatError';
  readonly status = 500;
}

/** The model uses something the engine cannot run, e.g. an op with no kernel; names the op and the node. */
export class UnsupportedModelError extends TfserveError {
  override name = 'UnsupportedModelError';
  readonly status = 500;
}

/** A request body or an Accept header in a media type tfserve does not read or write (415, as the peer answers). */
export class UnsupportedMediaTypeError extends TfserveError {
  override name = 'UnsupportedMediaTypeError';
  readonly status = 415;
}

/** A request body larger than the server accepts (413); the message names the limit and the variable that sets it. */
export class PayloadTooLargeError extends TfserveError {
  override name = 'PayloadTooLargeError';
  readonly status = 413;
}

/** The model cannot answer now: still loading, or its load failed (503, TF Serving's UNAVAILABLE). */
export class UnavailableError extends TfserveError {
  override name = 'UnavailableError';
  readonly status = 503;
}

/** An inference ran past its time limit (504, TF Serving's DEADLINE_EXCEEDED). */
export class DeadlineExceededError extends TfserveError {
  override name = 'DeadlineExceededError';
  readonly status = 504;
}
