import { FormatError } from '../errors';
import { crc32c, maskCrc, unmaskCrc } from './crc32c';
import { snappyCompress, snappyUncompress } from './snappy';

/**
 * LevelDB tables as TensorFlow writes them for `variables.index` (tensorflow/core/lib/io/table*.cc):
 * data blocks of prefix-compressed entries with restart points, an empty metaindex block, an index block whose
 * values are data-block handles, and a 48-byte footer ending in a magic number. Each block is followed by a
 * type byte (0 = raw, 1 = Snappy) and the masked CRC-32C of the stored contents plus that byte.
 */

export interface SstableEntry {
  key: Uint8Array;
  value: Uint8Array;
}

export interface SstableWriteOptions {
  /** Snappy-compress blocks where that saves at least 12.5%, as TensorFlow does. Default false. */
  compress?: boolean;
  /** A data block is closed once its size reaches this; TensorFlow's default is 256 KiB. */
  blockSize?: number;
}

interface BlockHandle {
  offset: number;
  size: number;
}

const FOOTER_LENGTH = 48;
const FOOTER_HANDLES_LENGTH = 40;
const MAGIC = [0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]; // 0xdb4775248b80fb57, little-endian
const BLOCK_TRAILER_LENGTH = 5;
const RAW_BLOCK = 0;
const SNAPPY_BLOCK = 1;
const DATA_RESTART_INTERVAL = 16;
const TF_BLOCK_SIZE = 262144;

/**
 * Reads a varint of up to 64 bits (exact while below 2^53) from `bytes[pos..limit)`. Errors name `what` and the
 * offset `base + pos`, so callers holding a slice of a file can report file offsets.
 */
export function readVarint(bytes: Uint8Array, pos: number, limit: number, what: string, base = 0): { value: number; next: number } {
  let value = 0;
  for (let at = pos, shift = 0; shift < 64; at++, shift += 7) {
    if (at >= limit) throw new FormatError(`${what}: truncated varint at byte offset ${base + pos}`);
    value += (bytes[at] & 0x7f) * 2 ** shift;
    if (bytes[at] < 0x80) {
      if (value > Number.MAX_SAFE_INTEGER) throw new FormatError(`${what}: varint at byte offset ${base + pos} exceeds 2^53`);
      return { value, next: at + 1 };
    }
  }
  throw new FormatError(`${what}: varint longer than 10 bytes at byte offset ${base + pos}`);
}

export function readFixed32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** A growable little-endian byte buffer for the writers. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  bytes(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  byte(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  varint(value: number): this {
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    return this.byte(value);
  }

  fixed32(value: number): this {
    for (let k = 0; k < 4; k++) this.byte((value >>> (8 * k)) & 0xff);
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function decodeHandle(bytes: Uint8Array, pos: number, limit: number, what: string): { handle: BlockHandle; next: number } {
  const offset = readVarint(bytes, pos, limit, what);
  const size = readVarint(bytes, offset.next, limit, what);
  return { handle: { offset: offset.value, size: size.value }, next: size.next };
}

function readBlock(file: Uint8Array, handle: BlockHandle, path: string): Uint8Array {
  const { offset, size } = handle;
  const end = offset + size;
  if (end + BLOCK_TRAILER_LENGTH > file.length - FOOTER_LENGTH) {
    throw new FormatError(
      `${path}: truncated: block at byte offset ${offset} (${size} bytes + ${BLOCK_TRAILER_LENGTH}-byte trailer) runs past the data of the ${file.length}-byte file`,
    );
  }
  const stored = unmaskCrc(readFixed32(file, end + 1));
  const computed = crc32c(file.subarray(offset, end + 1));
  if (stored !== computed) {
    throw new FormatError(
      `${path}: bad CRC in block at byte offset ${offset}: stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)}`,
    );
  }
  const contents = file.subarray(offset, end);
  const type = file[end];
  if (type === RAW_BLOCK) return contents;
  if (type === SNAPPY_BLOCK) return snappyUncompress(contents, `${path}: block at byte offset ${offset}`);
  throw new FormatError(`${path}: unknown compression type ${type} for block at byte offset ${offset}`);
}

/** The entries of one block; `what` names the block, and offsets are within its (uncompressed) contents. */
function parseBlock(block: Uint8Array, what: string): SstableEntry[] {
  if (block.length < 4) throw new FormatError(`${what}: block of ${block.length} bytes has no restart count`);
  const restartCount = readFixed32(block, block.length - 4);
  const entriesEnd = block.length - 4 - 4 * restartCount;
  if (entriesEnd < 0) throw new FormatError(`${what}: ${restartCount} restart points do not fit in ${block.length} bytes`);
  const entries: SstableEntry[] = [];
  let key = new Uint8Array(0);
  let pos = 0;
  while (pos < entriesEnd) {
    const entryAt = pos;
    const shared = readVarint(block, pos, entriesEnd, what);
    const unshared = readVarint(block, shared.next, entriesEnd, what);
    const valueLength = readVarint(block, unshared.next, entriesEnd, what);
    pos = valueLength.next;
    if (shared.value > key.length) {
      throw new FormatError(`${what}: entry at byte offset ${entryAt} shares ${shared.value} bytes of a ${key.length}-byte key`);
    }
    if (pos + unshared.value + valueLength.value > entriesEnd) {
      throw new FormatError(`${what}: entry at byte offset ${entryAt} runs past the end of the block's entries`);
    }
    const nextKey = new Uint8Array(shared.value + unshared.value);
    nextKey.set(key.subarray(0, shared.value));
    nextKey.set(block.subarray(pos, pos + unshared.value), shared.value);
    pos += unshared.value;
    key = nextKey;
    entries.push({ key, value: block.subarray(pos, pos + valueLength.value) });
    pos += valueLength.value;
  }
  return entries;
}

/** Every entry of a LevelDB table, in key order. `path` names the file in errors. */
export function readSstable(file: Uint8Array, path: string): SstableEntry[] {
  if (file.length < FOOTER_LENGTH) {
    throw new FormatError(`${path}: truncated: ${file.length} bytes, shorter than the ${FOOTER_LENGTH}-byte table footer`);
  }
  const footerAt = file.length - FOOTER_LENGTH;
  const magicAt = file.length - MAGIC.length;
  if (MAGIC.some((byte, k) => file[magicAt + k] !== byte)) {
    throw new FormatError(`${path}: bad magic at byte offset ${magicAt}: not a LevelDB table`);
  }
  const footerWhat = `${path}: footer`;
  const metaindex = decodeHandle(file, footerAt, magicAt, footerWhat);
  const index = decodeHandle(file, metaindex.next, magicAt, footerWhat).handle;
  const indexWhat = `${path}: index block at byte offset ${index.offset}`;
  const entries: SstableEntry[] = [];
  for (const indexEntry of parseBlock(readBlock(file, index, path), indexWhat)) {
    const handle = decodeHandle(indexEntry.value, 0, indexEntry.value.length, indexWhat).handle;
    entries.push(...parseBlock(readBlock(file, handle, path), `${path}: data block at byte offset ${handle.offset}`));
  }
  return entries;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}

/** LevelDB's BytewiseComparator::FindShortestSeparator: a short key in [start, limit). */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let diff = 0;
  while (diff < n && start[diff] === limit[diff]) diff++;
  if (diff < n && start[diff] < 0xff && start[diff] + 1 < limit[diff]) {
    const separator = start.slice(0, diff + 1);
    separator[diff]++;
    return separator;
  }
  return start;
}

/** LevelDB's BytewiseComparator::FindShortSuccessor: a short key ≥ `key`. */
function shortSuccessor(key: Uint8Array): Uint8Array {
  const at = key.findIndex((byte) => byte !== 0xff);
  if (at < 0) return key;
  const successor = key.slice(0, at + 1);
  successor[at]++;
  return successor;
}

class BlockBuilder {
  private readonly out = new ByteWriter();
  private readonly restarts = [0];
  private sinceRestart = 0;
  private lastKey: Uint8Array = new Uint8Array(0);
  entryCount = 0;

  constructor(private readonly restartInterval: number) {}

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.sinceRestart < this.restartInterval) {
      const n = Math.min(this.lastKey.length, key.length);
      while (shared < n && this.lastKey[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.out.length);
      this.sinceRestart = 0;
    }
    this.out.varint(shared).varint(key.length - shared).varint(value.length).bytes(key.subarray(shared)).bytes(value);
    this.lastKey = key;
    this.sinceRestart++;
    this.entryCount++;
  }

  sizeEstimate(): number {
    return this.out.length + 4 * this.restarts.length + 4;
  }

  finish(): Uint8Array {
    for (const restart of this.restarts) this.out.fixed32(restart);
    return this.out.fixed32(this.restarts.length).finish();
  }
}

function encodeHandle(handle: BlockHandle): Uint8Array {
  return new ByteWriter().varint(handle.offset).varint(handle.size).finish();
}

/**
 * A LevelDB table holding `entries`, which must be in strictly increasing byte order of their keys. Block layout,
 * restart intervals (16 for data, 1 for the index), index separators and compression choice follow TensorFlow's
 * table builder.
 */
export function writeSstable(entries: readonly SstableEntry[], options: SstableWriteOptions = {}): Uint8Array {
  const blockSize = options.blockSize ?? TF_BLOCK_SIZE;
  const file = new ByteWriter();
  const writeBlock = (raw: Uint8Array): BlockHandle => {
    let contents = raw;
    let type = RAW_BLOCK;
    if (options.compress) {
      const compressed = snappyCompress(raw);
      if (compressed.length < raw.length - Math.floor(raw.length / 8)) {
        contents = compressed;
        type = SNAPPY_BLOCK;
      }
    }
    const handle = { offset: file.length, size: contents.length };
    const typeByte = Uint8Array.of(type);
    file.bytes(contents).bytes(typeByte).fixed32(maskCrc(crc32c(typeByte, crc32c(contents))));
    return handle;
  };

  const index = new BlockBuilder(1);
  let data = new BlockBuilder(DATA_RESTART_INTERVAL);
  let pendingHandle: BlockHandle | undefined;
  let lastKey: Uint8Array = new Uint8Array(0);
  entries.forEach(({ key, value }, i) => {
    if (i > 0 && compareBytes(key, lastKey) <= 0) {
      throw new RangeError(`writeSstable: entry ${i}'s key is not greater than entry ${i - 1}'s`);
    }
    if (pendingHandle) {
      index.add(shortestSeparator(lastKey, key), encodeHandle(pendingHandle));
      pendingHandle = undefined;
    }
    data.add(key, value);
    lastKey = key;
    if (data.sizeEstimate() >= blockSize) {
      pendingHandle = writeBlock(data.finish());
      data = new BlockBuilder(DATA_RESTART_INTERVAL);
    }
  });
  if (data.entryCount > 0) pendingHandle = writeBlock(data.finish());
  const metaindexHandle = writeBlock(new BlockBuilder(DATA_RESTART_INTERVAL).finish());
  if (pendingHandle) index.add(shortSuccessor(lastKey), encodeHandle(pendingHandle));
  const indexHandle = writeBlock(index.finish());

  const handles = new ByteWriter().bytes(encodeHandle(metaindexHandle)).bytes(encodeHandle(indexHandle));
  file.bytes(handles.finish()).bytes(new Uint8Array(FOOTER_HANDLES_LENGTH - handles.length)).bytes(Uint8Array.from(MAGIC));
  return file.finish();
}
