import type { Context, InferenceModule, ModelResponse } from '../../hooks';
import { decodeRequest, encodeResponse, negotiateResponseType, preferredResponseType } from '../content';
import type { InvocationResult } from '../invocation';
import { invokeBuiltin, modelResponseText, servedModelOf, type BuiltinModelRequest } from './context';
import { HookError, messageOf } from './hook-errors';
import { describe, invocationResultOf, MODEL_REQUEST_SHAPE, modelRequestBytes } from './hook-values';

/**
 * The one path every invocation takes, with or without user hooks (the peer had two that behaved differently,
 * B16.2): `handler(data, context)` when the user defines it, else
 * `outputHandler(await context.invoke(await inputHandler(data, context)), context)`, where tfserve's own input
 * handler (the Content-Type decoders) and output handler (the Accept encoders) stand in for any the user leaves out.
 *
 * The built-ins' errors keep their status (400, 415); a user hook's become 500 `<hook name>: <message>`.
 */

export type Pipeline = (data: Buffer, context: Context) => Promise<InvocationResult>;

type Input = (data: Buffer, context: Context) => Promise<BuiltinModelRequest>;
type Output = (response: ModelResponse, context: Context) => Promise<unknown>;

export function createPipeline(hooks?: InferenceModule): Pipeline {
  const handler = hooks?.handler;
  if (handler) {
    return async (data, context) => invocationResultOf(await callHook('handler', () => handler(data, context)), 'handler');
  }
  const input = hooks?.inputHandler ? checkedInput(hooks.inputHandler) : builtinInput;
  const userOutput = hooks?.outputHandler;
  const output: Output = userOutput ? (response, context) => callHook('outputHandler', () => userOutput(response, context)) : builtinOutput;
  return async (data, context) => invocationResultOf(await output(await invokeBuiltin(context, await input(data, context)), context), 'outputHandler');
}

async function builtinInput(data: Buffer, context: Context): Promise<BuiltinModelRequest> {
  return decodeRequest(data, context.requestContentType, { method: context.method, signatures: servedModelOf(context).model.signatures });
}

/** Model errors stay JSON with their status, whatever the Accept header asks for, so clients can always read them. */
async function builtinOutput(response: ModelResponse, context: Context): Promise<unknown> {
  if (response.status !== 200) return { status: response.status, body: response.body, contentType: response.contentType };
  const type = negotiateResponseType(context.accept, preferredResponseType(context.requestContentType));
  return encodeResponse(modelResponseText(response), type);
}

/** The user's request is checked (and serialised) here, so a wrong one is blamed on inputHandler. */
function checkedInput(inputHandler: NonNullable<InferenceModule['inputHandler']>): Input {
  return async (data, context) => {
    const request = await callHook('inputHandler', () => inputHandler(data, context));
    const bytes = modelRequestBytes(request);
    if (bytes === undefined) throw new HookError(`inputHandler must return ${MODEL_REQUEST_SHAPE}, got ${describe(request)}`);
    return bytes;
  };
}

async function callHook<T>(hook: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new HookError(`${hook}: ${messageOf(error)}`, { cause: error });
  }
}
