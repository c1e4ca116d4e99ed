import { InvalidArgumentError } from '../errors';
import { decodeMessage, encodeMessage, protos } from './proto';

/**
 * `tensorflow.Example` (example/example.proto, feature.proto) as typed values. int64 values are bigints so that
 * every value TensorFlow can store survives a round trip; the plain-object view of proto.ts carries them as decimal
 * strings.
 */
export type Feature =
  | { kind: 'bytes'; values: Uint8Array[] }
  | { kind: 'float'; values: number[] }
  | { kind: 'int64'; values: bigint[] };

export type FeatureKind = Feature['kind'];

export type Example = Record<string, Feature>;

interface PlainFeature {
  bytesList?: { value?: Uint8Array[] };
  floatList?: { value?: number[] };
  int64List?: { value?: string[] };
}

interface PlainExample {
  features?: { feature?: Record<string, PlainFeature> };
}

function toPlainFeature(feature: Feature): PlainFeature {
  switch (feature.kind) {
    case 'bytes':
      return { bytesList: { value: feature.values } };
    case 'float':
      return { floatList: { value: feature.values } };
    case 'int64':
      return { int64List: { value: feature.values.map(String) } };
  }
}

/**
 * Serializes an Example. Features are written in sorted key order, so equal Examples give equal bytes (JavaScript
 * objects list integer-like keys first, in numeric order; the order is still a function of the key set alone).
 */
export function encodeExample(example: Example): Uint8Array {
  const feature: Record<string, PlainFeature> = {};
  for (const key of Object.keys(example).sort()) feature[key] = toPlainFeature(example[key]);
  return encodeMessage(protos.Example, { features: { feature } });
}

/** protobufjs hands out Node Buffers; a plain view over the same memory keeps the type the rest of tfserve uses. */
function asPlainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A feature whose `kind` oneof is unset carries no values and no type. TensorFlow's parser treats it exactly like
 * an absent key (dense: default or "required" error; sparse/ragged: no values), so it is left out here.
 */
function fromPlainFeature(plain: PlainFeature): Feature | undefined {
  if (plain.bytesList) return { kind: 'bytes', values: (plain.bytesList.value ?? []).map(asPlainBytes) };
  if (plain.floatList) return { kind: 'float', values: plain.floatList.value ?? [] };
  if (plain.int64List) return { kind: 'int64', values: (plain.int64List.value ?? []).map((v) => BigInt(v)) };
  return undefined;
}

/** Parses a serialized Example; malformed bytes throw FormatError naming `what`. */
export function decodeExample(bytes: Uint8Array, what = 'tf.Example'): Example {
  const plain = decodeMessage<PlainExample>(protos.Example, bytes, what);
  const example: Example = {};
  for (const [key, value] of Object.entries(plain.features?.feature ?? {})) {
    const feature = fromPlainFeature(value);
    if (feature) example[key] = feature;
  }
  return example;
}

/** Largest finite float32; TF Serving refuses JSON numbers beyond it for float features. */
const FLOAT32_MAX = 3.4028234663852886e38;

function describeJsonType(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return 'Object';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? 'String' : 'Number';
}

function isBase64Object(value: unknown): value is { b64: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { b64?: unknown }).b64 === 'string'
  );
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Builds an Example from TF Serving's JSON form of one entry of `"examples"` (or of `"context"`): each feature is a
 * value or a list of values, where a value is a number, a boolean, a string or `{"b64": "..."}`.
 * `where` (the position in "examples", or "context") prefixes every error, followed by TF Serving's own wording.
 *
 * Rules, as TF Serving's json_tensor.cc applies them: strings → bytes_list (UTF-8), b64 objects → bytes_list
 * (decoded), booleans → 0/1, numbers → int64_list or float_list, an empty list → no feature; kinds may
 * not be mixed within a feature.
 *
 * Numbers differ on purpose: TF Serving reads the literal and makes `1.0` a float and `1` an int64, but JSON.parse
 * has already turned both into the number 1. Here a feature is int64 when all its numbers are safe integers, and
 * float otherwise. So `{"x": 1.0}` arrives as int64_list [1]; the ParseExample ops accept an int64_list for a float
 * feature (and convert) precisely so that TF Serving's documented requests, such as half_plus_three's
 * `{"examples": [{"x": 1.0}, {"x": 2.0}]}`, keep working.
 */
export function exampleFromJson(json: unknown, where: number | 'context'): Example {
  const label = typeof where === 'number' ? `Example ${where}` : 'Context';
  const fail = (message: string): never => {
    throw new InvalidArgumentError(`${label}: ${message}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(`Example must be JSON object but got JSON ${describeJsonType(json)}`);
  }
  const example: Example = {};
  for (const [name, content] of Object.entries(json)) {
    const feature = featureFromJson(name, Array.isArray(content) ? content : [content], fail);
    if (feature) example[name] = feature;
  }
  return example;
}

function featureFromJson(name: string, items: unknown[], fail: (message: string) => never): Feature | undefined {
  const isBytes = (item: unknown) => typeof item === 'string' || isBase64Object(item);
  const isNumeric = (item: unknown) => typeof item === 'number' || typeof item === 'boolean';
  for (const item of items) {
    if (!isBytes(item) && !isNumeric(item)) {
      fail(`Feature: ${name} has element with unexpected JSON type: ${describeJsonType(item)}`);
    }
  }
  if (items.length === 0) return undefined;
  const first = items[0];
  if (isBytes(first)) {
    if (!items.every(isBytes)) fail(`Unexpected element type in feature: ${name} expecting type: bytes`);
    return { kind: 'bytes', values: items.map((item) => bytesFromJson(item as string | { b64: string }, fail)) };
  }
  if (!items.every(isNumeric)) {
    const expected = typeof first === 'number' && !Number.isSafeInteger(first) ? 'float' : 'int64';
    fail(`Unexpected element type in feature: ${name} expecting type: ${expected}`);
  }
  return numberFeature(name, items.map(Number), fail);
}

function bytesFromJson(item: string | { b64: string }, fail: (message: string) => never): Uint8Array {
  if (typeof item === 'string') return new TextEncoder().encode(item);
  if (!BASE64.test(item.b64)) fail(`JSON Value: ${JSON.stringify(item)} Unable to base64 decode`);
  return new Uint8Array(Buffer.from(item.b64, 'base64'));
}

function numberFeature(name: string, values: number[], fail: (message: string) => never): Feature {
  if (values.every(Number.isSafeInteger)) return { kind: 'int64', values: values.map((v) => BigInt(v)) };
  for (const v of values) {
    if (Number.isFinite(v) && Math.abs(v) > FLOAT32_MAX) {
      fail(`Feature: ${name}: Cannot convert JSON value: ${v} to float without loss of precision.`);
    }
  }
  return { kind: 'float', values };
}
