import { InvalidArgumentError } from '../errors';
import type { Example, Feature } from '../formats/example';
import { JsonNumber, isJsonObject, type JsonValue } from './json-parse';
import { isBase64Object, jsonToTensor } from './json-to-tensor';
import { jsonTypeName } from './json-text';

/**
 * One entry of a classify/regress request's `"examples"` (or its `"context"`) → a tf.Example, with TF Serving's rules
 * (json_tensor.cc MakeExampleFromJsonObject): a feature is a value or a list of values; its first value sets its
 * kind — a string or `{"b64": …}` makes bytes, `true`/`false` and integer literals make int64, numbers written with
 * a fraction or exponent make float — and every later value must be of the same kind. The parser keeps number
 * literals, so `1.0` is a float and `9007199254740993` an exact int64, as in TF Serving.
 * Errors start with `Example <index>:` or `Context:`, then TF Serving's wording.
 */
export function exampleFromJson(value: JsonValue, where: number | 'context'): Example {
  const label = where === 'context' ? 'Context' : `Example ${where}`;
  try {
    if (value === null || !isJsonObject(value) || isBase64Object(value)) {
      throw new InvalidArgumentError(`Example must be JSON object but got JSON ${jsonTypeName(value)}`);
    }
    const example: Example = {};
    for (const [name, content] of value) {
      const feature = featureFromJson(name, Array.isArray(content) ? content : [content]);
      if (feature) example[name] = feature;
    }
    return example;
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new InvalidArgumentError(`${label}: ${error.message}`);
    throw error;
  }
}

type Kind = Feature['kind'];

function kindOf(name: string, item: JsonValue): Kind {
  if (typeof item === 'string' || isBase64Object(item)) return 'bytes';
  if (typeof item === 'boolean') return 'int64';
  if (item instanceof JsonNumber) return item.isIntegerLiteral ? 'int64' : 'float';
  throw new InvalidArgumentError(`Feature: ${name} has element with unexpected JSON type: ${jsonTypeName(item)}`);
}

/** An empty list gives no feature: TensorFlow reads a feature with no values as absent. */
function featureFromJson(name: string, items: JsonValue[]): Feature | undefined {
  if (items.length === 0) return undefined;
  const kind = kindOf(name, items[0]);
  for (const item of items) {
    if (kindOf(name, item) !== kind) {
      throw new InvalidArgumentError(`Unexpected element type in feature: ${name} expecting type: ${kind}`);
    }
  }
  switch (kind) {
    case 'bytes':
      return { kind, values: items.map((item) => (jsonToTensor(item, 'string').values as Uint8Array[])[0]) };
    case 'float':
      return { kind, values: items.map((item) => (jsonToTensor(item, 'float32').values as Float32Array)[0]) };
    case 'int64':
      return { kind, values: items.map((item) => (typeof item === 'boolean' ? BigInt(item) : BigInt((item as JsonNumber).text))) };
  }
}
