import { maskCrc } from './crc32c';
import { fastCrc32c } from './fast-crc32c';
import { RecordFormatError, type RecordLocation } from './record-format-error';

/**
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc):
 *   uint64 length (LE) | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)
 * The pure pieces here are shared by the whole-buffer splitter below (request bodies in the container) and the
 * streaming codec in transform/codecs.
 */

export const TFRECORD_HEADER_BYTES = 12;
export const TFRECORD_FOOTER_BYTES = 4;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `payload` framed as one TFRecord. */
export function frameTfRecord(payload: Uint8Array): Uint8Array {
  const framed = new Uint8Array(TFRECORD_HEADER_BYTES + payload.length + TFRECORD_FOOTER_BYTES);
  const out = view(framed);
  out.setBigUint64(0, BigInt(payload.length), true);
  out.setUint32(8, maskCrc(fastCrc32c(framed.subarray(0, 8))), true);
  framed.set(payload, TFRECORD_HEADER_BYTES);
  out.setUint32(TFRECORD_HEADER_BYTES + payload.length, maskCrc(fastCrc32c(payload)), true);
  return framed;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * The payload length from a record's 12-byte header, after checking the length CRC, so a corrupt length is caught
 * before anything tries to buffer that many bytes. The length may exceed 2^53 (then it is imprecise, but it is
 * still far larger than any limit it is compared with).
 */
export function tfRecordPayloadLength(header: Uint8Array, at: RecordLocation): number {
  if (header.length < TFRECORD_HEADER_BYTES) {
    throw new RecordFormatError(
      at,
      'truncated length',
      `the ${TFRECORD_HEADER_BYTES}-byte length header is cut off: only ${header.length} bytes remain`,
    );
  }
  const bytes = view(header);
  const stored = bytes.getUint32(8, true);
  const computed = maskCrc(fastCrc32c(header.subarray(0, 8)));
  if (stored !== computed) {
    throw new RecordFormatError(
      at,
      'length CRC',
      `stored masked CRC32C ${hex(stored)} of the length field, computed ${hex(computed)}`,
    );
  }
  return bytes.getUint32(4, true) * 2 ** 32 + bytes.getUint32(0, true);
}

/** Total framed size of a record whose payload is `payloadLength` bytes. */
export function tfRecordFramedLength(payloadLength: number): number {
  return TFRECORD_HEADER_BYTES + payloadLength + TFRECORD_FOOTER_BYTES;
}

/**
 * The payload of a complete framed record (header already checked) after checking the data CRC; a view, not a copy.
 */
export function tfRecordPayload(framed: Uint8Array, at: RecordLocation): Uint8Array {
  const payloadEnd = framed.length - TFRECORD_FOOTER_BYTES;
  const payload = framed.subarray(TFRECORD_HEADER_BYTES, payloadEnd);
  const stored = view(framed).getUint32(payloadEnd, true);
  const computed = maskCrc(fastCrc32c(payload));
  if (stored !== computed) {
    throw new RecordFormatError(
      at,
      'data CRC',
      `stored masked CRC32C ${hex(stored)} of the ${payload.length}-byte payload, computed ${hex(computed)}`,
    );
  }
  return payload;
}

/** The error for a record whose header promised more bytes than the source holds. */
export function truncatedTfRecord(at: RecordLocation, payloadLength: number, available: number): RecordFormatError {
  return new RecordFormatError(
    at,
    'truncated payload',
    `the header announces a ${payloadLength}-byte payload (${tfRecordFramedLength(payloadLength)} bytes framed), ` +
      `only ${available} bytes remain`,
  );
}

export interface TfRecord {
  index: number;
  offset: number;
  payload: Uint8Array;
}

/**
 * Every record of a whole TFRecord buffer (a MultiRecord request body), both CRCs checked. Payloads are views into
 * `bytes`. Throws RecordFormatError naming `sourceName`, the record and the failed check.
 */
export function splitTfRecords(bytes: Uint8Array, sourceName: string): TfRecord[] {
  const records: TfRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const at = { source: sourceName, recordIndex: records.length, offset };
    const available = bytes.length - offset;
    const payloadLength = tfRecordPayloadLength(bytes.subarray(offset, offset + TFRECORD_HEADER_BYTES), at);
    const framedLength = tfRecordFramedLength(payloadLength);
    if (framedLength > available) throw truncatedTfRecord(at, payloadLength, available);
    records.push({ index: at.recordIndex, offset, payload: tfRecordPayload(bytes.subarray(offset, offset + framedLength), at) });
    offset += framedLength;
  }
  return records;
}
