import * as os from 'node:os';
import { Reader } from 'protobufjs';
import { protos } from './proto';

/**
 * The float_list features of a serialized tf.Example, each copied straight from its packed bytes into a
 * Float32Array: protobufjs (example.ts) reads one float at a time into a JavaScript array, and on image-sized
 * features that was most of the container's work per record. It reads only the plain form TensorFlow writes — one
 * `features` message of map entries (key, then value), each wanted feature a float_list of one packed run — and
 * answers undefined for anything else (a wanted feature of another kind, absent or repeated, unpacked floats, any
 * framing it does not expect, a malformed feature it skips), so that decodeExample decides, with its messages.
 */

const LENGTH_DELIMITED = 2;
const tag = (field: number) => (field << 3) | LENGTH_DELIMITED;
/** Example.features, Features.feature (map entries), entry key and value, Feature.float_list, FloatList.value. */
const EXAMPLE_FEATURES = tag(1);
const FEATURES_ENTRY = tag(1);
const ENTRY_KEY = tag(1);
const ENTRY_VALUE = tag(2);
const FEATURE_FLOAT_LIST = tag(2);
const FLOAT_LIST_VALUE = tag(1);

/** tf.Example stores floats little-endian; a Float32Array reads them in the host's order. */
const HOST_IS_LITTLE_ENDIAN = os.endianness() === 'LE';

export function readFloatFeatures(bytes: Uint8Array, names: readonly string[]): Map<string, Float32Array> | undefined {
  if (!HOST_IS_LITTLE_ENDIAN) return undefined;
  try {
    return readFeatures(Reader.create(bytes), new Set(names));
  } catch {
    return undefined; // a length or varint past the end
  }
}

function readFeatures(reader: Reader, wanted: Set<string>): Map<string, Float32Array> | undefined {
  const found = new Map<string, Float32Array>();
  if (reader.len === 0 || reader.uint32() !== EXAMPLE_FEATURES) return undefined;
  const end = endOf(reader, reader.len);
  while (reader.pos < end) {
    if (reader.uint32() !== FEATURES_ENTRY) return undefined;
    const entryEnd = endOf(reader, end);
    if (reader.uint32() !== ENTRY_KEY) return undefined;
    const key = reader.string();
    if (reader.uint32() !== ENTRY_VALUE) return undefined;
    const value = reader.bytes();
    if (reader.pos !== entryEnd) return undefined; // also when the key or value ran past the entry
    if (!wanted.has(key)) {
      protos.Feature.decode(value); // throws, as decodeExample would, when the feature is malformed
      continue;
    }
    const floats = packedFloats(Reader.create(value));
    if (floats === undefined || found.has(key)) return undefined;
    found.set(key, floats);
  }
  return reader.pos === reader.len && found.size === wanted.size ? found : undefined;
}

function packedFloats(feature: Reader): Float32Array | undefined {
  if (feature.len === 0 || feature.uint32() !== FEATURE_FLOAT_LIST) return undefined;
  const list = Reader.create(feature.bytes());
  if (feature.pos !== feature.len || list.len === 0 || list.uint32() !== FLOAT_LIST_VALUE) return undefined;
  const packed = list.bytes();
  if (list.pos !== list.len || packed.length === 0 || packed.length % 4 !== 0) return undefined;
  // a copy: the packed run need not be 4-byte aligned, and the tensor must not hold the request body alive
  return new Float32Array(new Uint8Array(packed).buffer);
}

/** Where the length-delimited field whose length comes next ends; past the enclosing message's `limit`, a RangeError. */
function endOf(reader: Reader, limit: number): number {
  const end = reader.uint32() + reader.pos;
  if (end > limit) throw new RangeError('length past the end of the enclosing message');
  return end;
}
