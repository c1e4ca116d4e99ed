import { JsonNumber, type JsonValue } from '../../tfs/json-parse';

/**
 * A parsed JSON value written back compactly with every number as its original text, so that re-framing a model
 * response (one prediction per JSON Lines line) keeps int64 values exact and TF Serving's float formatting.
 */
export function compactJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(compactJson).join(',')}]`;
  return `{${[...value].map(([key, item]) => `${JSON.stringify(key)}:${compactJson(item)}`).join(',')}}`;
}
