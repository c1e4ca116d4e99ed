import { TfserveError } from '../../errors';
import type { Context, ModelRequest, ModelResponse } from '../../hooks';
import { runTfsMethod, type TfsMethod } from '../../tfs/methods';
import type { InvocationInput } from '../invocation';
import type { ServedModel } from '../model-registry';
import { describe, MODEL_REQUEST_SHAPE, modelRequestBytes } from './hook-values';

/** The model behind each Context tfserve made, for the built-in input handler (record bodies need its signatures). */
const servedModels = new WeakMap<Context, ServedModel>();

export function servedModelOf(context: Context): ServedModel | undefined {
  return servedModels.get(context);
}

/** The Context of one invocation: the request's facts and `invoke`, which runs the chosen method on the chosen model. */
export function createContext(served: ServedModel, method: TfsMethod, input: InvocationInput): Context {
  const context: Context = {
    modelName: served.name,
    modelVersion: served.version,
    method,
    requestContentType: input.contentType,
    accept: input.accept,
    customAttributes: input.customAttributes,
    contentLength: input.body.length,
    signal: input.signal,
    invoke: (request) => invokeModel(served, method, request, input.signal),
  };
  servedModels.set(context, served);
  return context;
}

/**
 * Errors the model answers with (TfserveErrors: a bad request, a missing signature) come back as a response, as
 * TF Serving's HTTP errors did to the peer's output_handler; anything else is tfserve failing, and rejects.
 */
async function invokeModel(served: ServedModel, method: TfsMethod, request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> {
  const bytes = modelRequestBytes(request);
  if (bytes === undefined) throw new TypeError(`context.invoke takes ${MODEL_REQUEST_SHAPE}, got ${describe(request)}`);
  try {
    return new JsonModelResponse(200, await runTfsMethod(served.model, method, bytes, signal));
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
