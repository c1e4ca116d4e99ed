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
