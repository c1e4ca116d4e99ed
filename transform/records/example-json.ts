import type { Example, Feature } from '../../container/formats/example';

/**
 * tf.Example features as JSON for people to read (`tfserve records inspect`): one key per feature, holding
 * {"bytes": [...]}, {"float": [...]} or {"int64": [...]}.
 */

export type BytesValueJson = string | { base64: string; length: number; truncated?: true };
export type FeatureJson = { bytes: BytesValueJson[] } | { float: (number | string)[] } | { int64: (number | string)[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Printable text (no control characters but tab and newlines) reads best as itself. */
function asText(bytes: Uint8Array): string | undefined {
  try {
    const text = utf8.decode(bytes);
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Text as a string; anything else as base64 of its first `maxBytes` bytes, with its full length. */
export function bytesValueJson(bytes: Uint8Array, maxBytes: number): BytesValueJson {
  const text = asText(bytes);
  if (text !== undefined) return text;
  const shown = bytes.subarray(0, maxBytes);
  const base64 = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64');
  return shown.length < bytes.length ? { base64, length: bytes.length, truncated: true } : { base64, length: bytes.length };
}

/** The shortest decimal that reads back as the same float32, e.g. 0.1 rather than 0.10000000149011612. */
export function float32Json(value: number): number | string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return short;
  }
  return Number(value.toPrecision(9));
}

/** int64 as a JSON number while exact, as a decimal string beyond 2^53. */
export function int64Json(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

export function featureJson(feature: Feature, maxBytes: number): FeatureJson {
  switch (feature.kind) {
    case 'bytes':
      return { bytes: feature.values.map((value) => bytesValueJson(value, maxBytes)) };
    case 'float':
      return { float: feature.values.map(float32Json) };
    case 'int64':
      return { int64: feature.values.map(int64Json) };
  }
}

/** Features in sorted key order, so the output does not depend on the order they were written in. */
export function exampleJson(example: Example, maxBytes: number): Record<string, FeatureJson> {
  const out: Record<string, FeatureJson> = {};
  for (const key of Object.keys(example).sort()) out[key] = featureJson(example[key], maxBytes);
  return out;
}
