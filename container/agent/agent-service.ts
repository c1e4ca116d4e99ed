import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { FailedPreconditionError, NotFoundError } from '../errors';
import type { AgentModels } from './agent-models';
import type { CaptureDataRequest, CaptureIdRequest, LoadModelRequest, NameRequest, PredictRequest } from './agent-proto';
import { grpcStatusOf } from './agent-errors';
import type { CaptureQueue } from './capture/capture-queue';
import { isCaptureId, parseCapture } from './capture/capture-request';

/**
 * The seven RPCs of `AWS.SageMaker.Edge.Agent`: wire messages in, the model store and the capture queue, wire
 * messages out. Errors become gRPC statuses (agent-errors.ts) with the error's message as details.
 */

export interface AgentServiceParts {
  models: AgentModels;
  /** Absent when capture has no destination configured: CaptureData is then FAILED_PRECONDITION. */
  captures: CaptureQueue | undefined;
  /** Why `captures` is absent, told to the client. */
  captureUnavailable?: string;
  logger: Logger;
  now?: () => number;
}

type Handler<Req> = (request: Req) => unknown;

export function agentHandlers(parts: AgentServiceParts): grpc.UntypedServiceImplementation {
  const { models, logger } = parts;
  const unary =
    <Req>(rpc: string, handle: Handler<Req>): grpc.handleUnaryCall<Req, unknown> =>
    (call, callback) => {
      Promise.resolve()
        .then(() => handle(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => {
            const code = grpcStatusOf(error);
            const details = error instanceof Error ? error.message : String(error);
            if (code === grpc.status.INTERNAL) logger.error({ err: error, rpc }, 'request failed');
            else logger.debug({ rpc, code: grpc.status[code], details }, 'request refused');
            callback({ code, details });
          },
        );
    };
  const captures = (): CaptureQueue => {
    if (!parts.captures) throw new FailedPreconditionError(parts.captureUnavailable ?? 'data capture is not configured');
    return parts.captures;
  };
  return {
    Predict: unary<PredictRequest>('Predict', async ({ name, tensors }) => ({ tensors: await models.predict(name, tensors) })),
    LoadModel: unary<LoadModelRequest>('LoadModel', async ({ url, name }) => ({ model: await models.load(name, url) })),
    UnLoadModel: unary<NameRequest>('UnLoadModel', async ({ name }) => {
      await models.unload(name);
      return {};
    }),
    ListModels: unary<unknown>('ListModels', () => ({ models: models.list() })),
    DescribeModel: unary<NameRequest>('DescribeModel', ({ name }) => ({ model: models.describe(name) })),
    CaptureData: unary<CaptureDataRequest>('CaptureData', (request) => {
      const queue = captures();
      queue.submit(parseCapture(request, (parts.now ?? Date.now)()));
      return {};
    }),
    // A well-formed id nobody used is the NOT_FOUND status value; an id no capture can have is the NOT_FOUND code.
    GetCaptureDataStatus: unary<CaptureIdRequest>('GetCaptureDataStatus', ({ capture_id }) => {
      if (!isCaptureId(capture_id)) throw new NotFoundError(`capture_id ${JSON.stringify(capture_id)} is not a UUID: no capture has it`);
      return { status: parts.captures?.status(capture_id) ?? 'NOT_FOUND' };
    }),
  };
}
