import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError } from '../errors';
import { crc32c, maskCrc, unmaskCrc } from './crc32c';
import { dtypeFromTf, tfFromDtype } from './dtypes';
import { decodeMessage, encodeMessage, protos } from './proto';
import { ByteWriter, compareBytes, readFixed32, readSstable, readVarint, writeSstable } from './sstable';
import { BYTES_PER_ELEMENT, elementCount, makeTensor, tensorFromBytes, tensorToBytes, type Tensor } from './tensor';

/**
 * TensorFlow's checkpoint format (tensorflow/core/util/tensor_bundle): `<prefix>.index` is a LevelDB table mapping
 * "" to a BundleHeaderProto and each tensor name to a BundleEntryProto; `<prefix>.data-NNNNN-of-NNNNN` hold the
 * raw little-endian tensors at the entries' offsets.
 */

interface BundleHeader {
  numShards?: number;
  endianness?: string;
}

interface BundleEntry {
  dtype?: string;
  shape?: { dim?: Array<{ size?: string }>; unknownRank?: boolean };
  shardId?: number;
  offset?: string;
  size?: string;
  crc32c?: number;
  slices?: unknown[];
}

/** One tensor's record in the index, with 64-bit fields as numbers. */
export interface BundleEntryInfo {
  /** TensorFlow's DataType name, e.g. 'DT_FLOAT'. */
  dtype: string;
  shape: number[];
  shard: number;
  offset: number;
  size: number;
  /** The stored (masked) CRC-32C of the tensor's bytes in the data file. */
  crc32c: number;
  /** Partitioned variables store slices, which tfserve does not read. */
  sliced: boolean;
}

const HEADER_KEY = '';
const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

export function dataFilePath(prefix: string, shard: number, numShards: number): string {
  const pad = (n: number) => String(n).padStart(5, '0');
  return `${prefix}.data-${pad(shard)}-of-${pad(numShards)}`;
}

function readIndexFile(indexPath: string): Uint8Array {
  try {
    return fs.readFileSync(indexPath);
  } catch (err) {
    throw new FormatError(`${indexPath}: cannot read the checkpoint index (${(err as Error).message})`);
  }
}

function toEntryInfo(entry: BundleEntry, what: string): BundleEntryInfo {
  const number = (field: string, value: string | undefined): number => {
    const n = Number(value ?? 0);
    if (!Number.isSafeInteger(n) || n < 0) throw new FormatError(`${what}: ${field} ${value} is not a usable size`);
    return n;
  };
  if (entry.shape?.unknownRank) throw new FormatError(`${what}: shape has unknown rank`);
  return {
    dtype: entry.dtype ?? 'DT_INVALID',
    shape: (entry.shape?.dim ?? []).map((dim, k) => number(`dimension ${k}`, dim.size)),
    shard: entry.shardId ?? 0,
    offset: number('offset', entry.offset),
    size: number('size', entry.size),
    crc32c: entry.crc32c ?? 0,
    sliced: (entry.slices ?? []).length > 0,
  };
}

/**
 * DT_STRING data: varint64 lengths, the masked CRC-32C of those lengths (each hashed as a uint32 LE word, or
 * uint64 from 4 GiB), then the bytes. The entry CRC runs over the length words, the 4 stored checksum bytes and
 * the string bytes, not over the varints as stored.
 */
function lengthWord(length: number): Uint8Array {
  const word = new Uint8Array(length > 0xffffffff ? 8 : 4);
  for (let k = 0, rest = length; k < word.length; k++, rest = Math.floor(rest / 256)) word[k] = rest % 256;
  return word;
}

/** Splits a DT_STRING entry read from file offset `base`; errors give file offsets. */
function decodeStrings(data: Uint8Array, count: number, base: number, what: string): { strings: Uint8Array[]; crc: number } {
  const lengths: number[] = [];
  let crc = 0;
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const { value, next } = readVarint(data, pos, data.length, what, base);
    lengths.push(value);
    crc = crc32c(lengthWord(value), crc);
    pos = next;
  }
  if (pos + 4 > data.length) throw new FormatError(`${what}: truncated string length checksum at byte offset ${base + pos}`);
  if (unmaskCrc(readFixed32(data, pos)) !== crc) {
    throw new FormatError(`${what}: bad CRC of the string lengths at byte offset ${base + pos}`);
  }
  crc = crc32c(data.subarray(pos, pos + 4), crc);
  pos += 4;
  const strings = lengths.map((length) => {
    if (pos + length > data.length) {
      throw new FormatError(`${what}: string of ${length} bytes at byte offset ${base + pos} runs past the entry's ${data.length} bytes`);
    }
    const bytes = data.slice(pos, pos + length);
    crc = crc32c(bytes, crc);
    pos += length;
    return bytes;
  });
  if (pos !== data.length) throw new FormatError(`${what}: ${data.length - pos} unused bytes after the strings at byte offset ${base + pos}`);
  return { strings, crc };
}

function encodeStrings(strings: readonly Uint8Array[]): { bytes: Uint8Array; crc: number } {
  const out = new ByteWriter();
  let crc = 0;
  for (const s of strings) {
    out.varint(s.length);
    crc = crc32c(lengthWord(s.length), crc);
  }
  const checksum = new ByteWriter().fixed32(maskCrc(crc)).finish();
  crc = crc32c(checksum, crc);
  out.bytes(checksum);
  for (const s of strings) {
    out.bytes(s);
    crc = crc32c(s, crc);
  }
  return { bytes: out.finish(), crc };
}

export class TensorBundle {
  private constructor(
    readonly prefix: string,
    readonly numShards: number,
    private readonly entries: Map<string, BundleEntryInfo>,
  ) {}

  /** Opens `<prefix>.index` (e.g. prefix `<savedmodel>/variables/variables`); data files are read on demand. */
  static open(prefix: string): TensorBundle {
    const indexPath = `${prefix}.index`;
    const entries = new Map<string, BundleEntryInfo>();
    let header: BundleHeader | undefined;
    for (const { key, value } of readSstable(readIndexFile(indexPath), indexPath)) {
      const name = utf8.decode(key);
      if (name === HEADER_KEY) {
        header = decodeMessage<BundleHeader>(protos.BundleHeaderProto, value, `${indexPath}: header`);
      } else {
        const what = `${indexPath}: entry "${name}"`;
        entries.set(name, toEntryInfo(decodeMessage<BundleEntry>(protos.BundleEntryProto, value, what), what));
      }
    }
    if (!header) throw new FormatError(`${indexPath}: no BundleHeaderProto under the empty key`);
    if (header.endianness === 'BIG') throw new FormatError(`${indexPath}: big-endian checkpoints are not supported`);
    const numShards = header.numShards ?? 0;
    if (numShards < 1) throw new FormatError(`${indexPath}: header has num_shards ${numShards}`);
    for (const [name, entry] of entries) {
      if (entry.shard >= numShards) {
        throw new FormatError(`${indexPath}: entry "${name}" is in shard ${entry.shard} of only ${numShards}`);
      }
    }
    return new TensorBundle(prefix, numShards, entries);
  }

  /** Tensor names, sorted as in the index. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  entry(key: string): BundleEntryInfo {
    const entry = this.entries.get(key);
    if (!entry) throw new FormatError(`${this.prefix}.index: no tensor named "${key}"`);
    return entry;
  }

  read(key: string): Tensor {
    const entry = this.entry(key);
    const file = dataFilePath(this.prefix, entry.shard, this.numShards);
    const tensorName = `${file}: tensor "${key}"`;
    const what = `${tensorName} at byte offset ${entry.offset}`;
    if (entry.sliced) throw new FormatError(`${what}: partitioned (sliced) variables are not supported`);
    const dtype = dtypeFromTf(entry.dtype);
    if (!dtype) throw new FormatError(`${what}: unsupported dtype ${entry.dtype}`);
    if (dtype !== 'string') {
      const expected = elementCount(entry.shape) * BYTES_PER_ELEMENT[dtype];
      if (entry.size !== expected) {
        throw new FormatError(`${what}: size ${entry.size} does not fit ${entry.dtype} of shape [${entry.shape.join(',')}] (${expected} bytes)`);
      }
    }
    const data = readAt(file, entry.offset, entry.size, what);
    if (dtype === 'string') {
      const { strings, crc } = decodeStrings(data, elementCount(entry.shape), entry.offset, tensorName);
      checkCrc(entry, crc, what);
      return makeTensor('string', entry.shape, strings);
    }
    checkCrc(entry, crc32c(data), what);
    return tensorFromBytes(dtype, entry.shape, data);
  }
}

function checkCrc(entry: BundleEntryInfo, computed: number, what: string): void {
  const stored = unmaskCrc(entry.crc32c);
  if (stored !== computed) {
    throw new FormatError(`${what}: bad CRC: stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)}`);
  }
}

function readAt(file: string, offset: number, size: number, what: string): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new FormatError(`${what}: cannot open the data file (${(err as Error).message})`);
  }
  try {
    const bytes = new Uint8Array(size);
    const read = fs.readSync(fd, bytes, 0, size, offset);
    if (read !== size) throw new FormatError(`${what}: short read, ${read} of ${size} bytes`);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

function tensorData(tensor: Tensor): { bytes: Uint8Array; crc: number } {
  if (tensor.dtype === 'string') return encodeStrings(tensor.values as Uint8Array[]);
  const bytes = tensorToBytes(tensor);
  return { bytes, crc: crc32c(bytes) };
}

/**
 * Writes `<prefix>.index` and `<prefix>.data-00000-of-00001` as TensorFlow's BundleWriter does: one shard,
 * tensors in key order, proto3 defaults omitted. Same input, same bytes. `compress` (default true, like current
 * TensorFlow) Snappy-compresses index blocks where that pays.
 */
export function writeTensorBundle(prefix: string, tensors: Record<string, Tensor>, options: { compress?: boolean } = {}): void {
  const named = Object.entries(tensors).map(([name, tensor]) => ({ name, key: utf8Encoder.encode(name), tensor }));
  if (named.some(({ name }) => name === HEADER_KEY)) throw new RangeError('writeTensorBundle: the empty key is reserved for the header');
  named.sort((a, b) => compareBytes(a.key, b.key));

  const data = new ByteWriter();
  const indexEntries = [{ key: new Uint8Array(0), value: encodeMessage(protos.BundleHeaderProto, { numShards: 1, version: { producer: 1 } }) }];
  for (const { key, tensor } of named) {
    const { bytes, crc } = tensorData(tensor);
    const entry: Record<string, unknown> = {
      dtype: tfFromDtype(tensor.dtype),
      shape: { dim: tensor.shape.map((size) => (size === 0 ? {} : { size })) },
    };
    if (data.length > 0) entry.offset = data.length;
    if (bytes.length > 0) entry.size = bytes.length;
    const masked = maskCrc(crc);
    if (masked !== 0) entry.crc32c = masked;
    indexEntries.push({ key, value: encodeMessage(protos.BundleEntryProto, entry) });
    data.bytes(bytes);
  }
  fs.mkdirSync(path.dirname(prefix), { recursive: true });
  fs.writeFileSync(dataFilePath(prefix, 0, 1), data.finish());
  fs.writeFileSync(`${prefix}.index`, writeSstable(indexEntries, { compress: options.compress ?? true }));
}
