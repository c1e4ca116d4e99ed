import { FormatError } from '../errors';

/**
 * Raw Snappy blocks (not the framing format), as LevelDB tables compress their blocks.
 * Stream: varint32 uncompressed length, then elements whose tag's low 2 bits say literal (0) or a copy with a
 * 1-, 2- or 4-byte offset (1, 2, 3).
 */

const LITERAL = 0;
const COPY_1_BYTE_OFFSET = 1;
const COPY_2_BYTE_OFFSET = 2;
/** Copies only reach back within a fragment, so every offset fits the 2-byte form. */
const FRAGMENT_SIZE = 1 << 16;
const MIN_HASH_TABLE_BITS = 8;
const MAX_HASH_TABLE_BITS = 14;
/** Snappy stops looking for matches this close to a fragment's end. */
const INPUT_MARGIN = 15;
const MIN_MATCH = 4;

function readLittleEndian(bytes: Uint8Array, at: number, width: number): number {
  let value = 0;
  for (let k = width - 1; k >= 0; k--) value = value * 256 + bytes[at + k];
  return value;
}

function readPreamble(src: Uint8Array, what: string): { length: number; next: number } {
  let length = 0;
  for (let pos = 0, shift = 0; pos < 5; pos++, shift += 7) {
    if (pos >= src.length) throw new FormatError(`${what}: snappy length preamble is truncated at byte offset ${pos}`);
    length += (src[pos] & 0x7f) * 2 ** shift;
    if (src[pos] < 0x80) {
      if (length > 0xffffffff) throw new FormatError(`${what}: snappy length preamble exceeds 32 bits`);
      return { length, next: pos + 1 };
    }
  }
  throw new FormatError(`${what}: snappy length preamble is longer than 5 bytes at byte offset 0`);
}

/** Decompresses a raw Snappy block; every malformed element is reported with `what` and its byte offset. */
export function snappyUncompress(src: Uint8Array, what: string): Uint8Array {
  const { length, next } = readPreamble(src, what);
  // A 3-byte copy yields at most 64 bytes, so a larger claim is corrupt; checked before allocating it.
  if (length > Math.ceil(((src.length - next) * 64) / 3)) {
    throw new FormatError(`${what}: snappy declares ${length} bytes, more than ${src.length} compressed bytes can hold, at byte offset 0`);
  }
  const out = new Uint8Array(length);
  let ip = next;
  let op = 0;
  const fail = (at: number, problem: string): never => {
    throw new FormatError(`${what}: snappy ${problem} at byte offset ${at}`);
  };
  while (ip < src.length) {
    const tagAt = ip;
    const tag = src[ip++];
    const kind = tag & 3;
    if (kind === LITERAL) {
      let literalLength = tag >>> 2;
      if (literalLength >= 60) {
        const width = literalLength - 59;
        if (ip + width > src.length) fail(tagAt, `literal length of ${width} bytes runs past the end of the input`);
        literalLength = readLittleEndian(src, ip, width);
        ip += width;
      }
      literalLength += 1;
      if (ip + literalLength > src.length) fail(tagAt, `literal of ${literalLength} bytes runs past the end of the input`);
      if (op + literalLength > length) fail(tagAt, `literal of ${literalLength} bytes overflows the declared ${length} bytes`);
      out.set(src.subarray(ip, ip + literalLength), op);
      ip += literalLength;
      op += literalLength;
      continue;
    }
    const offsetWidth = kind === COPY_1_BYTE_OFFSET ? 1 : kind === COPY_2_BYTE_OFFSET ? 2 : 4;
    if (ip + offsetWidth > src.length) fail(tagAt, 'copy offset runs past the end of the input');
    let copyLength: number;
    let offset: number;
    if (kind === COPY_1_BYTE_OFFSET) {
      copyLength = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[ip];
    } else {
      copyLength = (tag >>> 2) + 1;
      offset = readLittleEndian(src, ip, offsetWidth);
    }
    ip += offsetWidth;
    if (offset === 0) fail(tagAt, 'copy with offset 0');
    if (offset > op) fail(tagAt, `copy offset ${offset} reaches before the start of the output (at ${op})`);
    if (op + copyLength > length) fail(tagAt, `copy of ${copyLength} bytes overflows the declared ${length} bytes`);
    if (offset >= copyLength) {
      out.copyWithin(op, op - offset, op - offset + copyLength);
      op += copyLength;
    } else {
      // An overlapping copy repeats the last `offset` bytes; it must run byte by byte.
      for (const end = op + copyLength; op < end; op++) out[op] = out[op - offset];
    }
  }
  if (op !== length) fail(src.length, `stream ends after ${op} bytes of the declared ${length}`);
  return out;
}

class SnappyOutput {
  readonly bytes: Uint8Array;
  length = 0;

  constructor(inputLength: number) {
    // Snappy's MaxCompressedLength: the output can never outgrow this.
    this.bytes = new Uint8Array(32 + inputLength + Math.ceil(inputLength / 6));
  }

  push(byte: number): void {
    this.bytes[this.length++] = byte;
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this.push((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    this.push(value);
  }

  /** Literals never cross a fragment, so their length-1 fits in at most 2 extra bytes. */
  literal(src: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    const n = end - start - 1;
    if (n < 60) {
      this.push(n << 2);
    } else if (n < 0x100) {
      this.push(60 << 2);
      this.push(n);
    } else {
      this.push(61 << 2);
      this.push(n & 0xff);
      this.push(n >>> 8);
    }
    this.bytes.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }

  /** Long matches are split the way Snappy does it, so that every piece is at least 4 bytes long. */
  copy(offset: number, length: number): void {
    while (length >= 68) {
      this.copyPiece(offset, 64);
      length -= 64;
    }
    if (length > 64) {
      this.copyPiece(offset, 60);
      length -= 60;
    }
    this.copyPiece(offset, length);
  }

  private copyPiece(offset: number, length: number): void {
    if (length < 12 && offset < 2048) {
      this.push(COPY_1_BYTE_OFFSET | ((length - 4) << 2) | ((offset >>> 8) << 5));
      this.push(offset & 0xff);
    } else {
      this.push(COPY_2_BYTE_OFFSET | ((length - 1) << 2));
      this.push(offset & 0xff);
      this.push(offset >>> 8);
    }
  }
}

function load32(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
}

function hashTableBits(fragmentLength: number): number {
  let bits = MIN_HASH_TABLE_BITS;
  while (bits < MAX_HASH_TABLE_BITS && 1 << bits < fragmentLength) bits++;
  return bits;
}

/**
 * Snappy's CompressFragment, step by step: hash-table matching that probes less often the longer it goes without
 * a match, and leaves the last 15 bytes of a fragment as a literal. Following the C++ library this closely makes
 * the blocks byte-identical to those of the TF 2.1 and 2.14 fixtures (small inputs; tables larger than 2^14
 * entries, where Snappy versions differ, are not checked against TensorFlow).
 */
function compressFragment(src: Uint8Array, start: number, end: number, out: SnappyOutput): void {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    const shift = 32 - hashTableBits(end - start);
    const hash = (at: number) => Math.imul(load32(src, at), 0x1e35a7bd) >>> shift;
    const table = new Uint16Array(1 << (32 - shift)); // offsets from `start`
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = hash(ip);
    search: for (;;) {
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const slot = nextHash;
        const step = skip >>> 5;
        skip += step;
        nextIp = ip + step;
        if (nextIp > ipLimit) break search;
        nextHash = hash(nextIp);
        candidate = start + table[slot];
        table[slot] = ip - start;
      } while (load32(src, ip) !== load32(src, candidate));
      out.literal(src, nextEmit, ip);
      do {
        let matchLength = MIN_MATCH;
        while (ip + matchLength < end && src[candidate + matchLength] === src[ip + matchLength]) matchLength++;
        out.copy(ip - candidate, matchLength);
        ip += matchLength;
        nextEmit = ip;
        if (ip >= ipLimit) break search;
        table[hash(ip - 1)] = ip - 1 - start;
        const slot = hash(ip);
        candidate = start + table[slot];
        table[slot] = ip - start;
      } while (load32(src, ip) === load32(src, candidate));
      ip++;
      nextHash = hash(ip);
    }
  }
  out.literal(src, nextEmit, end);
}

/** Compresses `src` as a raw Snappy block, fragment by fragment as the C++ library does. */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const out = new SnappyOutput(src.length);
  out.varint(src.length);
  for (let start = 0; start < src.length; start += FRAGMENT_SIZE) {
    compressFragment(src, start, Math.min(src.length, start + FRAGMENT_SIZE), out);
  }
  return out.bytes.slice(0, out.length);
}
