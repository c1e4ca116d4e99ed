import { RecordFormatError, type RecordLocation } from '../../container/formats/record-format-error';
import { concatBytes } from './bytes';
import { readChunks, type ChunkReader } from './chunk-reader';
import { checkPayloadSize, payloadLimit, type CodecOptions } from './codec-options';
import type { RecordCodec, SplitRecord } from './record-codec';
import {
  CFLAG,
  frameRecordIo,
  joinRecordIoParts,
  parseRecordIoHeader,
  RECORDIO_HEADER_BYTES,
  recordIoFrameLength,
} from './recordio';

interface Frame {
  cflag: number;
  framed: Uint8Array;
  data: Uint8Array;
}

/** The cflag a frame may have: a record starts whole (0) or with a first part (1), then continues with 2s until a 3. */
function checkFlag(cflag: number, inMultipart: boolean, at: RecordLocation, where: string): void {
  const allowed: readonly number[] = inMultipart ? [CFLAG.middle, CFLAG.last] : [CFLAG.whole, CFLAG.first];
  if (!allowed.includes(cflag)) {
    const expected = inMultipart ? '2 (middle part) or 3 (last part)' : '0 (whole record) or 1 (first part)';
    throw new RecordFormatError(at, 'bad RecordIO cflag', `${where} has cflag ${cflag}, expected ${expected}`);
  }
}

/**
 * The next frame of record `at` (part `partIndex` of it), or null at a clean end of the source. `payloadSoFar`
 * counts the record's earlier parts and re-inserted magics, so a multipart record is held to the limit as a whole.
 */
async function readFrame(reader: ChunkReader, at: RecordLocation, partIndex: number, payloadSoFar: number, limit: number): Promise<Frame | null> {
  const frameOffset = reader.position;
  const where = partIndex === 0 ? 'the record' : `part ${partIndex} (at byte offset ${frameOffset})`;
  const available = await reader.fill(RECORDIO_HEADER_BYTES);
  if (available === 0 && partIndex === 0) return null;
  if (available === 0) {
    throw new RecordFormatError(at, 'truncated multipart record', `the source ends after part ${partIndex - 1} without a last part (cflag 3)`);
  }
  if (available < RECORDIO_HEADER_BYTES) {
    throw new RecordFormatError(at, 'truncated length', `${where}: the 8-byte magic and length header is cut off: only ${available} bytes remain`);
  }
  const { cflag, length } = parseRecordIoHeader(reader.peek(RECORDIO_HEADER_BYTES), at, where);
  checkFlag(cflag, partIndex > 0, at, where);
  checkPayloadSize(payloadSoFar + length, limit, at);
  const frameLength = recordIoFrameLength(length);
  const buffered = await reader.fill(frameLength);
  if (buffered < frameLength) {
    throw new RecordFormatError(
      at,
      'truncated payload',
      `${where}: the header announces ${length} bytes of data (${frameLength} bytes with header and padding), only ${buffered} bytes remain`,
    );
  }
  const framed = reader.take(frameLength);
  return { cflag, framed, data: framed.subarray(RECORDIO_HEADER_BYTES, RECORDIO_HEADER_BYTES + length) };
}

async function* splitRecordIo(reader: ChunkReader, sourceName: string, limit: number): AsyncIterable<SplitRecord> {
  for (let index = 0; ; index++) {
    const at = { source: sourceName, recordIndex: index, offset: reader.position };
    const frames: Frame[] = [];
    let payloadLength = 0;
    for (;;) {
      const frame = await readFrame(reader, at, frames.length, payloadLength + 4 * frames.length, limit);
      if (!frame) return;
      frames.push(frame);
      payloadLength += frame.data.length;
      if (frame.cflag === CFLAG.whole || frame.cflag === CFLAG.last) break;
    }
    yield {
      index,
      offset: at.offset,
      payload: joinRecordIoParts(frames.map((f) => f.data)),
      framed: concatBytes(frames.map((f) => f.framed)),
    };
  }
}

/**
 * MXNet RecordIO files. Multipart records (cflag 1..3) are joined into one payload with the magic re-inserted, as
 * dmlc's reader does; `framed` then holds all of their frames. Padding is checked for presence, not for zeros (dmlc
 * does not check it either).
 */
export function recordIoCodec(options?: CodecOptions): RecordCodec {
  const limit = payloadLimit(options);
  return {
    splitType: 'RecordIO',
    frame: frameRecordIo,
    split: (source, sourceName) => readChunks(source, (reader) => splitRecordIo(reader, sourceName, limit)),
  };
}
