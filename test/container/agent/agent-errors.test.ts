import * as grpc from '@grpc/grpc-js';
import { grpcStatusOf, OutOfRangeError, ResourceExhaustedError, UnimplementedError } from '../../../container/agent/agent-errors';
import * as errors from '../../../container/errors';
import { HookError } from '../../../container/server/hooks/hook-errors';
import { ConflictError, InsufficientStorageError } from '../../../container/models/model-errors';

describe('grpcStatusOf', () => {
  it.each([
    [new errors.InvalidArgumentError('x'), grpc.status.INVALID_ARGUMENT],
    [new errors.NotFoundError('x'), grpc.status.NOT_FOUND],
    [new ConflictError('x'), grpc.status.ALREADY_EXISTS],
    [new InsufficientStorageError('x'), grpc.status.RESOURCE_EXHAUSTED],
    [new ResourceExhaustedError('x'), grpc.status.RESOURCE_EXHAUSTED],
    [new errors.PayloadTooLargeError('x'), grpc.status.RESOURCE_EXHAUSTED],
    [new OutOfRangeError('x'), grpc.status.OUT_OF_RANGE],
    [new UnimplementedError('x'), grpc.status.UNIMPLEMENTED],
    [new errors.FailedPreconditionError('x'), grpc.status.FAILED_PRECONDITION],
    [new errors.UnsupportedModelError('x'), grpc.status.FAILED_PRECONDITION],
    [new errors.FormatError('x'), grpc.status.FAILED_PRECONDITION],
    [new errors.UnavailableError('x'), grpc.status.UNAVAILABLE],
    [new errors.DeadlineExceededError('x'), grpc.status.DEADLINE_EXCEEDED],
  ])('maps %s to gRPC code %i', (error, code) => {
    expect(grpcStatusOf(error)).toBe(code);
  });

  it('answers INTERNAL for errors the agent has no code for, tfserve or not', () => {
    expect(grpcStatusOf(new errors.UnsupportedMediaTypeError('x'))).toBe(grpc.status.INTERNAL);
    expect(grpcStatusOf(new HookError('x'))).toBe(grpc.status.INTERNAL);
    expect(grpcStatusOf(new Error('disk on fire'))).toBe(grpc.status.INTERNAL);
    expect(grpcStatusOf('not an error')).toBe(grpc.status.INTERNAL);
  });
});
