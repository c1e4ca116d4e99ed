import {
  frameTfRecord,
  TFRECORD_HEADER_BYTES,
  tfRecordFramedLength,
  tfRecordPayload,
  tfRecordPayloadLength,
  truncatedTfRecord,
} from '../../container/formats/tfrecord';
import { readChunks, type ChunkReader } from './chunk-reader';
import { checkPayloadSize, payloadLimit, type CodecOptions } from './codec-options';
import type { RecordCodec, SplitRecord } from './record-codec';

async function* splitTfRecords(reader: ChunkReader, sourceName: string, limit: number): AsyncIterable<SplitRecord> {
  for (let index = 0; ; index++) {
    const offset = reader.position;
    const available = await reader.fill(TFRECORD_HEADER_BYTES);
    if (available === 0) return;
    const at = { source: sourceName, recordIndex: index, offset };
    const payloadLength = tfRecordPayloadLength(reader.peek(TFRECORD_HEADER_BYTES), at);
    checkPayloadSize(payloadLength, limit, at);
    const framedLength = tfRecordFramedLength(payloadLength);
    const buffered = await reader.fill(framedLength);
    if (buffered < framedLength) throw truncatedTfRecord(at, payloadLength, buffered);
    const framed = reader.take(framedLength);
    yield { index, offset, payload: tfRecordPayload(framed, at), framed };
  }
}

/** TFRecord files: both masked CRC32Cs of every record are checked as it streams past. */
export function tfRecordCodec(options?: CodecOptions): RecordCodec {
  const limit = payloadLimit(options);
  return {
    splitType: 'TFRecord',
    frame: frameTfRecord,
    split: (source, sourceName) => readChunks(source, (reader) => splitTfRecords(reader, sourceName, limit)),
  };
}
