import { RecordFormatError } from '../../../container/formats/record-format-error';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { concatBytes } from '../../../transform/codecs/bytes';
import { tfRecordCodec } from '../../../transform/codecs/tfrecord-codec';
import { ascii, noise } from '../../support/bytes';
import { CHUNKINGS, collect, hexOf, splitAll, splitError } from './chunking';

const codec = tfRecordCodec();
const payloads = [ascii('hello'), new Uint8Array(0), noise(300, 5), ascii('x'), noise(2000, 9)];
const framedRecords = payloads.map(frameTfRecord);
const file = concatBytes(framedRecords);
const offsets = [0, 21, 37, 353, 370];

describe('tfRecordCodec split', () => {
  it.each(CHUNKINGS)('round-trips payloads, framing and offsets with %s', async (_name, sizes) => {
    const records = await splitAll(codec, file, sizes);
    expect(records.map((r) => hexOf(r.payload))).toEqual(payloads.map(hexOf));
    expect(records.map((r) => hexOf(r.framed))).toEqual(framedRecords.map(hexOf));
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(records.map((r) => r.offset)).toEqual(offsets);
  });

  it('yields nothing for an empty file', async () => {
    expect(await splitAll(codec, new Uint8Array(0))).toEqual([]);
  });

  it('frames like the container-side framing', () => {
    expect(codec.frame(ascii('hello'))).toEqual(frameTfRecord(ascii('hello')));
    expect(codec.splitType).toBe('TFRecord');
  });

  it.each(CHUNKINGS)('names record, offset and check for a bad length CRC (%s)', async (_name, sizes) => {
    const corrupt = file.slice();
    corrupt[offsets[2] + 3] ^= 0x10;
    const error = await splitError(codec, corrupt, sizes);
    expect(error).toBeInstanceOf(RecordFormatError);
    expect(error).toMatchObject({ source: 'test.bin', recordIndex: 2, offset: 37, check: 'length CRC' });
    expect((error as Error).message).toMatch(/^test\.bin: record 2 at byte offset 37: length CRC check failed: /);
  });

  it.each(CHUNKINGS)('names record, offset and check for a bad data CRC (%s)', async (_name, sizes) => {
    const corrupt = file.slice();
    corrupt[file.length - 5] ^= 0x01; // last payload byte
    expect(await splitError(codec, corrupt, sizes)).toMatchObject({ recordIndex: 4, offset: 370, check: 'data CRC' });
  });

  it('reports a stored data CRC that is itself corrupt', async () => {
    const corrupt = file.slice();
    corrupt[file.length - 1] ^= 0x01;
    expect(await splitError(codec, corrupt)).toMatchObject({ recordIndex: 4, check: 'data CRC' });
  });

  it.each([1, 11])('reports a length header cut to %i bytes', async (kept) => {
    const error = await splitError(codec, file.subarray(0, offsets[3] + kept), () => 1);
    expect(error).toMatchObject({ recordIndex: 3, offset: 353, check: 'truncated length' });
    expect((error as Error).message).toContain(`only ${kept} bytes remain`);
  });

  it.each([12, 13, 16])('reports a record cut after %i bytes', async (kept) => {
    const error = await splitError(codec, file.subarray(0, offsets[3] + kept));
    expect(error).toMatchObject({ recordIndex: 3, offset: 353, check: 'truncated payload' });
    expect((error as Error).message).toContain(`announces a 1-byte payload (17 bytes framed), only ${kept} bytes remain`);
  });

  it('refuses a payload over maxPayloadBytes before buffering it', async () => {
    const error = await splitError(tfRecordCodec({ maxPayloadBytes: 1000 }), file);
    expect(error).toMatchObject({ recordIndex: 4, offset: 370, check: 'record too large' });
    expect((error as Error).message).toContain('the 2000-byte payload exceeds the limit of 1000 bytes');
  });

  it('reads lazily: it asks the source for more only when the consumer wants the next record', async () => {
    const pulled: number[] = [];
    async function* source(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 1000; i++) {
        pulled.push(i);
        yield frameTfRecord(noise(100, i + 1));
      }
    }
    let seen = 0;
    for await (const record of codec.split(source(), 'lazy')) {
      expect(record.index).toBe(seen);
      expect(pulled.length).toBe(seen + 1);
      if (++seen === 50) break;
    }
    expect(pulled.length).toBe(50);
  });

  it('splits a long stream of records in bounded steps', async () => {
    async function* source(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 2000; i++) {
        const framed = frameTfRecord(noise(1000, i + 1));
        yield framed.subarray(0, 7); // every header straddles two chunks
        yield framed.subarray(7);
      }
    }
    let count = 0;
    let bytes = 0;
    for await (const record of codec.split(source(), 'long')) {
      count++;
      bytes += record.payload.length;
    }
    expect([count, bytes]).toEqual([2000, 2_000_000]);
  });

  it('closes the source when the consumer stops early', async () => {
    let finished = false;
    async function* source(): AsyncIterable<Uint8Array> {
      try {
        for (;;) yield frameTfRecord(ascii('r'));
      } finally {
        finished = true;
      }
    }
    const records = codec.split(source(), 'endless')[Symbol.asyncIterator]();
    await records.next();
    await records.return?.();
    expect(finished).toBe(true);
  });

  it('closes the source when a record is bad', async () => {
    let finished = false;
    async function* source(): AsyncIterable<Uint8Array> {
      try {
        yield frameTfRecord(ascii('fine'));
        yield new Uint8Array(16); // a zero header: its length CRC is wrong
        for (;;) yield frameTfRecord(ascii('never read'));
      } finally {
        finished = true;
      }
    }
    await expect(collect(codec.split(source(), 'bad'))).rejects.toMatchObject({ recordIndex: 1, check: 'length CRC' });
    expect(finished).toBe(true);
  });
});
