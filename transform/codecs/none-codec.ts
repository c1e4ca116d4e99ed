import { readChunks, type ChunkReader } from './chunk-reader';
import { checkPayloadSize, payloadLimit, type CodecOptions } from './codec-options';
import type { RecordCodec, SplitRecord } from './record-codec';

async function* wholeObject(reader: ChunkReader, sourceName: string, limit: number): AsyncIterable<SplitRecord> {
  const length = await reader.fill(limit + 1);
  if (length === 0) return;
  checkPayloadSize(length, limit, { source: sourceName, recordIndex: 0, offset: 0 });
  const whole = reader.take(length);
  yield { index: 0, offset: 0, payload: whole, framed: whole };
}

/**
 * SplitType None: the whole object is one record, so it has to fit in memory and in maxPayloadBytes. An empty object
 * yields no record, as with the other codecs.
 */
export function noneCodec(options?: CodecOptions): RecordCodec {
  const limit = payloadLimit(options);
  return {
    splitType: 'None',
    frame: (payload: Uint8Array) => payload,
    split: (source, sourceName) => readChunks(source, (reader) => wholeObject(reader, sourceName, limit)),
  };
}
