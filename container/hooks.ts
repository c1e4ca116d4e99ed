import type { TfsMethod } from './tfs/methods';

/**
 * The types of tfserve's pre- and post-processing hooks, published as `tfserve/hooks`.
 *
 * A model archive may hold `code/inference.js` (or `.mjs`, `.cjs`) next to the model folders. It exports either
 *
 * - `handler(data, context)`: the whole invocation; call `context.invoke(request)` to run the model; or
 * - `inputHandler(data, context)` and/or `outputHandler(response, context)`: a request is then answered by
 *   `outputHandler(await context.invoke(await inputHandler(data, context)), context)`. Leave one out and tfserve's
 *   own takes its place: the built-in input handler reads JSON, JSON Lines, CSV, tf.Example and TFRecord bodies by Content-Type, the
 *   built-in output handler writes the Accept type (and passes model errors through as JSON with their status).
 *
 * Hooks may be plain or async functions. A hook that throws answers 500 `{"error": "<hook name>: <message>"}`.
 *
 * ```js
 * // code/inference.js
 * exports.inputHandler = (data) => ({ instances: data.toString().trim().split('\n').map(Number) });
 * exports.outputHandler = (response) => {
 *   if (response.status !== 200) return { status: response.status, body: response.body };
 *   return { body: response.json().predictions.join('\n'), contentType: 'text/csv' };
 * };
 * ```
 */

/** A TensorFlow Serving method: `predict`, `classify` or `regress`. */
export type Method = TfsMethod;

/** A TensorFlow Serving REST request body as an object (serialised to JSON; `bigint` values are written exactly). */
export interface TfsRequest {
  /** Default `serving_default`. */
  signature_name?: string;
  /** predict, row form: one entry per example. */
  instances?: unknown[];
  /** predict, columnar form: a tensor, or an object of named tensors. */
  inputs?: unknown;
  /** classify and regress: the examples, each an object of features. */
  examples?: unknown[];
  /** classify and regress: features shared by every example. */
  context?: Record<string, unknown>;
}

/**
 * What the model is called with: a request object, or a string or Buffer already holding the request's JSON text.
 * Typed arrays in an object are written as JSON arrays; a Buffer inside an object is not base64 — write
 * `{ b64: buffer.toString('base64') }` for string tensors.
 */
export type ModelRequest = TfsRequest | string | Uint8Array;

/** The model's answer, in TensorFlow Serving's JSON; errors are a response too, not an exception. */
export interface ModelResponse {
  /** 200, or the error's status: 400 for a request the model cannot take, 500 when the model fails. */
  readonly status: number;
  /** `{"predictions": …}`, `{"outputs": …}`, `{"results": …}`, or `{"error": "<message>"}`. */
  readonly body: Buffer;
  /** Always `application/json`. */
  readonly contentType: string;
  /** The body parsed with `JSON.parse`: int64 values beyond 2^53 lose precision; read `body` to keep them exact. */
  json(): unknown;
}

/** What `handler` and `outputHandler` answer the client with. */
export interface HookResponse {
  /** A string or Buffer is sent as it is; any other value is sent as JSON (`bigint` values written exactly). */
  body: string | Uint8Array | object;
  /** Default `application/json`. */
  contentType?: string;
  /** An integer from 200 to 599; default 200. */
  status?: number;
}

/** One invocation's facts, fresh for every request. */
export interface Context {
  /** The model the request runs on: named by the `tfs-model-name` custom attribute, else the default model. */
  readonly modelName: string;
  /** Its version (`tfs-model-version`, else the highest loaded), e.g. `"1"`. */
  readonly modelVersion: string;
  /** `tfs-method`, else `predict`. */
  readonly method: Method;
  /** The request's Content-Type header, or undefined without one (the built-in input handler reads JSON then). */
  readonly requestContentType: string | undefined;
  /** The request's Accept header, or undefined without one. */
  readonly accept: string | undefined;
  /** The raw `X-Amzn-SageMaker-Custom-Attributes` header, or undefined; attributes other than `tfs-*` are yours. */
  readonly customAttributes: string | undefined;
  /** The request body's length in bytes. */
  readonly contentLength: number;
  /** Aborted when the client goes away; pass it on to long work of your own. */
  readonly signal: AbortSignal;
  /**
   * Runs `method` on the model. Resolves with the model's response, errors included (status 400, 500 …); it
   * rejects only when the request is not an object, string or Buffer, or the client has gone away.
   */
  invoke(request: ModelRequest): Promise<ModelResponse>;
}

type Awaitable<T> = T | Promise<T>;

/** The whole invocation: `data` is the raw request body. */
export type Handler = (data: Buffer, context: Context) => Awaitable<HookResponse>;

/** Turns the raw request body into the model request. */
export type InputHandler = (data: Buffer, context: Context) => Awaitable<ModelRequest>;

/** Turns the model's response (an error response included) into the answer. */
export type OutputHandler = (response: ModelResponse, context: Context) => Awaitable<HookResponse>;

/** What `code/inference.js` exports: `handler` alone, or `inputHandler` and/or `outputHandler`. */
export type InferenceModule =
  | { handler: Handler; inputHandler?: never; outputHandler?: never }
  | { handler?: never; inputHandler: InputHandler; outputHandler?: OutputHandler }
  | { handler?: never; inputHandler?: InputHandler; outputHandler: OutputHandler };
