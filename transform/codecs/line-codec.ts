import { readChunks, type ChunkReader } from './chunk-reader';
import { checkPayloadSize, payloadLimit, type CodecOptions } from './codec-options';
import type { RecordCodec, SplitRecord } from './record-codec';

const NEWLINE = 0x0a;

async function* splitLines(reader: ChunkReader, sourceName: string, limit: number): AsyncIterable<SplitRecord> {
  for (let index = 0; ; index++) {
    const offset = reader.position;
    // One byte past the limit: room for the newline of a line exactly at the limit.
    const { length, found } = await reader.scanThrough(NEWLINE, limit + 1);
    if (length === 0) return;
    const payloadLength = found ? length - 1 : length;
    checkPayloadSize(payloadLength, limit, { source: sourceName, recordIndex: index, offset });
    const framed = reader.take(length);
    yield { index, offset, payload: framed.subarray(0, payloadLength), framed };
  }
}

/**
 * Newline-delimited text (CSV, JSON Lines). Every line is a record, empty ones included. `payload` is the line
 * without its '\n' (a '\r' before it is data, kept); `framed` is the line exactly as in the object, '\n' included
 * (the last line may have none), so MultiRecord batches are byte-for-byte slices of the input.
 */
export function lineCodec(options?: CodecOptions): RecordCodec {
  const limit = payloadLimit(options);
  return {
    splitType: 'Line',
    frame(payload: Uint8Array): Uint8Array {
      const framed = new Uint8Array(payload.length + 1);
      framed.set(payload);
      framed[payload.length] = NEWLINE;
      return framed;
    },
    split: (source, sourceName) => readChunks(source, (reader) => splitLines(reader, sourceName, limit)),
  };
}
