import { FLOAT32_MAX, formatFloat32, formatFloat64 } from './float-format';
import { JsonNumber, type JsonValue } from './json-parse';

/**
 * JSON values as TensorFlow Serving quotes them inside error messages (rapidjson PrettyWriter, 4-space indent;
 * doubles through the same decimal formatting as responses), so error strings match TFS's.
 */

export function jsonValueToText(value: JsonValue, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return numberText(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + jsonValueToText(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value.size === 0) return '{}';
  const members = [...value].map(([key, item]) => `${inner}${JSON.stringify(key)}: ${jsonValueToText(item, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

function numberText(value: JsonNumber): string {
  if (value.isIntegerLiteral) return BigInt(value.text).toString();
  return Math.abs(value.value) <= FLOAT32_MAX || !Number.isFinite(value.value)
    ? formatFloat32(value.value)
    : formatFloat64(value.value);
}

/** rapidjson's type names, as TFS prints them in type errors. */
export function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'Null';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return 'String';
  if (value instanceof JsonNumber) return 'Number';
  return Array.isArray(value) ? 'Array' : 'Object';
}
