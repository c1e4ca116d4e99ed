import { TfserveError } from '../../errors';
import type { Context, ModelRequest, ModelResponse } from '../../hooks';
import { runTfsMethod, type TfsMethod } from '../../tfs/methods';
import { DecodedPredictRequest } from '../../tfs/predict-request';
import type { InvocationInput } from '../invocation';
import type { ServedModel } from '../model-registry';
import { describe, MODEL_REQUEST_SHAPE, modelRequestBytes } from './hook-values';

/** What tfserve's built-in input handler hands the model: what hooks hand it, or a request decoded into tensors. */
export type BuiltinModelRequest = ModelRequest | DecodedPredictRequest;

interface Invocation {
  served: ServedModel;
  invoke(request: BuiltinModelRequest): Promise<ModelResponse>;
}

/** Each Context tfserve made → its model and an invoke that also takes decoded requests, for the built-in handlers. */
const invocations = new WeakMap<Context, Invocation>();

function invocationOf(context: Context): Invocation {
  const invocation = invocations.get(context);
  if (!invocation) throw new TypeError('this Context was not made by createContext');
  return invocation;
}

export function servedModelOf(context: Context): ServedModel {
  return invocationOf(context).served;
}

/** context.invoke, which also takes the tensors the built-in input handler may have decoded the body into. */
export function invokeBuiltin(context: Context, request: BuiltinModelRequest): Promise<ModelResponse> {
  return invocationOf(context).invoke(request);
}

/** The Context of one invocation: the request's facts and `invoke`, which runs the chosen method on the chosen model. */
export function createContext(served: ServedModel, method: TfsMethod, input: InvocationInput): Context {
  const invoke = (request: BuiltinModelRequest) => invokeModel(served, method, request, input.signal);
  const context: Context = {
    modelName: served.name,
    modelVersion: served.version,
    method,
    requestContentType: input.contentType,
    accept: input.accept,
    customAttributes: input.customAttributes,
    contentLength: input.body.length,
    signal: input.signal,
    invoke,
  };
  invocations.set(context, { served, invoke });
  return context;
}

/**
 * Errors the model answers with (TfserveErrors: a bad request, a missing signature) come back as a response, as
 * TF Serving's HTTP errors did to the peer's output_handler; anything else is tfserve failing, and rejects.
 */
async function invokeModel(served: ServedModel, method: TfsMethod, request: BuiltinModelRequest, signal: AbortSignal): Promise<ModelResponse> {
  const decoded = request instanceof DecodedPredictRequest ? request : modelRequestBytes(request);
  if (decoded === undefined) throw new TypeError(`context.invoke takes ${MODEL_REQUEST_SHAPE}, got ${describe(request)}`);
  try {
    return new JsonModelResponse(200, await runTfsMethod(served.model, method, decoded, signal));
  } catch (error) {
    if (!(error instanceof TfserveError)) throw error;
    return new JsonModelResponse(error.status, JSON.stringify({ error: error.message }));
  }
}

/** Keeps the model's text: the built-in output handler encodes it without a round trip through bytes. */
class JsonModelResponse implements ModelResponse {
  readonly contentType = 'application/json';
  private bytes: Buffer | undefined;

  constructor(
    readonly status: number,
    readonly text: string,
  ) {}

  get body(): Buffer {
    return (this.bytes ??= Buffer.from(this.text, 'utf8'));
  }

  json(): unknown {
    return JSON.parse(this.text);
  }
}

export function modelResponseText(response: ModelResponse): string {
  return response instanceof JsonModelResponse ? response.text : response.body.toString('utf8');
}
