import type { InferenceModule } from '../hooks';
import { parseCustomAttributes, resolveServedModel } from './custom-attributes';
import { createContext } from './hooks/context';
import { createPipeline } from './hooks/pipeline';
import type { ModelRegistry } from './model-registry';

/**
 * `POST /invocations`: the custom attributes pick the model, version and method, then the request takes the one
 * pipeline (hooks/pipeline.ts) — the user's hooks from `code/inference.js`, tfserve's built-ins for any left out.
 *
 * Errors: what the model answers (a bad request, a missing signature) is a result with its status, so output
 * handlers see it. Everything else throws for the app's error middleware: TfserveErrors carry their status (400 for
 * a bad custom attribute or body, 415 for a Content-Type or Accept tfserve does not speak, 500 for a failing hook),
 * and anything unexpected is a 500 there.
 */

export interface InvocationInput {
  body: Buffer;
  contentType?: string;
  accept?: string;
  /** The raw `X-Amzn-SageMaker-Custom-Attributes` header. */
  customAttributes?: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface InvocationResult {
  status: number;
  body: string | Buffer;
  contentType: string;
}

export type InvocationHandler = (input: InvocationInput) => Promise<InvocationResult>;

export interface InvocationOptions {
  /** From `loadHooks(modelDir)`; without them, tfserve's built-in input and output handlers serve alone. */
  hooks?: InferenceModule;
}

export function createInvocationHandler(registry: ModelRegistry, options: InvocationOptions = {}): InvocationHandler {
  const pipeline = createPipeline(options.hooks);
  return async (input) => {
    const attributes = parseCustomAttributes(input.customAttributes);
    const served = resolveServedModel(registry, attributes);
    return pipeline(input.body, createContext(served, attributes.method ?? 'predict', input));
  };
}
