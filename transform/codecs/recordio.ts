import { RecordFormatError, type RecordLocation } from '../../container/formats/record-format-error';

/**
 * MXNet / dmlc-core RecordIO framing (dmlc-core src/recordio.cc), as SageMaker's `SplitType=RecordIO` reads it:
 *   uint32 magic 0xCED7230A (LE) | uint32 lrec = cflag << 29 | length | data[length] | zero padding to 4 bytes
 * cflag 0 is a whole record; 1, 2, 3 are the first, middle and last part of a record the writer split where the
 * payload held the magic at a 4-aligned offset (the magic itself dropped, re-inserted by the reader).
 */

export const RECORDIO_MAGIC = 0xced7230a;
export const RECORDIO_HEADER_BYTES = 8;
const LENGTH_BITS = 29;
const LENGTH_MASK = (1 << LENGTH_BITS) - 1;

/** The cflag values; the field has 3 bits, so 4..7 are invalid. */
export const CFLAG = { whole: 0, first: 1, middle: 2, last: 3 } as const;

export interface RecordIoHeader {
  cflag: number;
  length: number;
}

/** Size of one frame: header, data and padding to a 4-byte boundary. */
export function recordIoFrameLength(length: number): number {
  return RECORDIO_HEADER_BYTES + ((length + 3) & ~3);
}

/** Decodes a frame header; `header` must hold at least RECORDIO_HEADER_BYTES. */
export function parseRecordIoHeader(header: Uint8Array, at: RecordLocation, where: string): RecordIoHeader {
  const bytes = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const magic = bytes.getUint32(0, true);
  if (magic !== RECORDIO_MAGIC) {
    throw new RecordFormatError(
      at,
      'bad RecordIO magic',
      `${where} starts with 0x${magic.toString(16).padStart(8, '0')}, not the magic 0x${RECORDIO_MAGIC.toString(16)}`,
    );
  }
  const lrec = bytes.getUint32(4, true);
  return { cflag: lrec >>> LENGTH_BITS, length: lrec & LENGTH_MASK };
}

function writeFrame(out: Uint8Array, at: number, cflag: number, data: Uint8Array): number {
  const bytes = new DataView(out.buffer, out.byteOffset, out.byteLength);
  bytes.setUint32(at, RECORDIO_MAGIC, true);
  bytes.setUint32(at + 4, ((cflag << LENGTH_BITS) | data.length) >>> 0, true);
  out.set(data, at + RECORDIO_HEADER_BYTES);
  return at + recordIoFrameLength(data.length);
}

function isMagicAt(payload: Uint8Array, i: number): boolean {
  return payload[i] === 0x0a && payload[i + 1] === 0x23 && payload[i + 2] === 0xd7 && payload[i + 3] === 0xce;
}

/**
 * `payload` framed as dmlc's RecordIOWriter::WriteRecord does: split into parts wherever the magic sits at a
 * 4-aligned offset, so that readers which resynchronise by scanning for the magic (dmlc InputSplit) never mistake
 * data for a record start. Payloads without such a magic get the single cflag-0 frame SageMaker's own writer emits.
 */
export function frameRecordIo(payload: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let partStart = 0;
  for (let i = 0; i + 4 <= payload.length; i += 4) {
    if (isMagicAt(payload, i)) {
      parts.push(payload.subarray(partStart, i));
      partStart = i + 4;
    }
  }
  parts.push(payload.subarray(partStart));
  const oversized = parts.find((part) => part.length > LENGTH_MASK);
  if (oversized) {
    throw new RangeError(`a RecordIO frame holds at most ${LENGTH_MASK} bytes (29-bit length); this one needs ${oversized.length}`);
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + recordIoFrameLength(part.length), 0));
  let at = 0;
  parts.forEach((part, i) => {
    const cflag = parts.length === 1 ? CFLAG.whole : i === 0 ? CFLAG.first : i === parts.length - 1 ? CFLAG.last : CFLAG.middle;
    at = writeFrame(out, at, cflag, part);
  });
  return out;
}

/** The payload of a record from its frames' data: parts joined with the magic the writer dropped. */
export function joinRecordIoParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const payload = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0) + 4 * (parts.length - 1));
  const bytes = new DataView(payload.buffer);
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) {
      bytes.setUint32(at, RECORDIO_MAGIC, true);
      at += 4;
    }
    payload.set(part, at);
    at += part.length;
  });
  return payload;
}
