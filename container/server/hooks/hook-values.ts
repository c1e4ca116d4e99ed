import { types } from 'node:util';
import type { HookResponse } from '../../hooks';
import type { InvocationResult } from '../invocation';
import { HookError, messageOf } from './hook-errors';
import { toJsonText } from './json-text';

/**
 * Checks and converts what hooks hand back to tfserve: model requests (from inputHandler, or passed to
 * context.invoke) and responses (from handler and outputHandler). A wrong shape is a 500 whose message says what was
 * expected and what came instead.
 */

export const MODEL_REQUEST_SHAPE = 'a TF Serving request (an object, a string or a Buffer)';
const RESPONSE_SHAPE = '{ body, contentType?, status? }';
const RESPONSE_KEYS = new Set(['body', 'contentType', 'status']);

/** The request bytes the model reads, or undefined when `request` is not a model request. */
export function modelRequestBytes(request: unknown): Uint8Array | undefined {
  if (typeof request === 'string') return Buffer.from(request, 'utf8');
  if (types.isUint8Array(request)) return request;
  if (!isPlainObject(request)) return undefined;
  // An object holds nothing JSON.stringify drops at the top level, so the text is always there.
  return Buffer.from(toJsonText(request) as string, 'utf8');
}

/** The answer a handler or outputHandler returned, checked; `hook` names it in errors. */
export function invocationResultOf(response: unknown, hook: string): InvocationResult {
  const expected = `${hook} must return ${RESPONSE_SHAPE}`;
  if (Array.isArray(response)) {
    throw new HookError(`${expected}, got an array (a Python-style (body, content_type) tuple? return { body, contentType })`);
  }
  if (!isPlainObject(response)) throw new HookError(`${expected}, got ${describe(response)}`);
  const unexpected = Object.keys(response).filter((key) => !RESPONSE_KEYS.has(key));
  if (unexpected.length > 0) throw new HookError(`${expected}, got the unexpected key ${unexpected.join(', ')}`);

  const { body, contentType, status } = response as Partial<HookResponse>;
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType === '')) {
    throw new HookError(`${expected} with contentType a non-empty string, got ${describe(contentType)}`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new HookError(`${expected} with status an integer from 200 to 599, got ${describe(status)}`);
  }
  return { status: status ?? 200, body: bodyOf(body, expected, hook), contentType: contentType ?? 'application/json' };
}

function bodyOf(body: unknown, expected: string, hook: string): string | Buffer {
  if (typeof body === 'string') return body;
  if (types.isUint8Array(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body !== 'object' || body === null) {
    throw new HookError(`${expected} with body a string, a Buffer or a JSON-serialisable object, got ${describe(body)}`);
  }
  try {
    return toJsonText(body) as string;
  } catch (error) {
    throw new HookError(`${hook} returned a body that is not JSON-serialisable: ${messageOf(error)}`, { cause: error });
  }
}

/** Not an array, Buffer or null: the `{ … }` hooks write. Realm-independent (hooks may run in another realm). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !types.isUint8Array(value);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (types.isUint8Array(value)) return 'a Buffer';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
