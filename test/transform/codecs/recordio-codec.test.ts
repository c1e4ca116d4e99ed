import { RecordFormatError } from '../../../container/formats/record-format-error';
import { concatBytes } from '../../../transform/codecs/bytes';
import { recordIoCodec } from '../../../transform/codecs/recordio-codec';
import { frameRecordIo } from '../../../transform/codecs/recordio';
import { ascii, noise } from '../../support/bytes';
import { CHUNKINGS, hexOf, splitAll, splitError } from './chunking';

const codec = recordIoCodec();
const MAGIC = [0x0a, 0x23, 0xd7, 0xce];

/** One frame as dmlc writes it, built by hand: magic, lrec, data, zero padding to 4 bytes. */
function frame(cflag: number, data: Uint8Array): Uint8Array {
  const padded = (data.length + 3) & ~3;
  const out = new Uint8Array(8 + padded);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(4, ((cflag << 29) | data.length) >>> 0, true);
  out.set(data, 8);
  return out;
}

describe('frameRecordIo', () => {
  it('writes one cflag-0 frame padded with zeros to 4 bytes, as SageMaker’s _write_recordio does', () => {
    expect(hexOf(frameRecordIo(ascii('hello')))).toBe('0a23d7ce' + '05000000' + '68656c6c6f' + '000000');
    expect(hexOf(frameRecordIo(ascii('abcd')))).toBe('0a23d7ce' + '04000000' + '61626364');
    expect(hexOf(frameRecordIo(new Uint8Array(0)))).toBe('0a23d7ce' + '00000000');
  });

  it('splits at a 4-aligned magic like dmlc’s writer, and leaves an unaligned one in the data', () => {
    const payload = concatBytes([ascii('abcd'), Uint8Array.from(MAGIC), ascii('e'), Uint8Array.from(MAGIC), ascii('fgh'), Uint8Array.from(MAGIC), ascii('ij')]);
    // Magic at offsets 4 (aligned), 9 (not), 16 (aligned).
    expect(hexOf(frameRecordIo(payload))).toBe(
      hexOf(concatBytes([frame(1, ascii('abcd')), frame(2, payload.subarray(8, 16)), frame(3, ascii('ij'))])),
    );
  });

  it('gives empty first and last parts for a magic at either end', () => {
    const payload = concatBytes([Uint8Array.from(MAGIC), ascii('data'), Uint8Array.from(MAGIC)]);
    expect(hexOf(frameRecordIo(payload))).toBe(
      hexOf(concatBytes([frame(1, new Uint8Array(0)), frame(2, ascii('data')), frame(3, new Uint8Array(0))])),
    );
  });
});

describe('recordIoCodec split', () => {
  const withMagic = concatBytes([noise(8, 3), Uint8Array.from(MAGIC), noise(4, 4), Uint8Array.from(MAGIC), noise(9, 5)]);
  const payloads = [ascii('hello'), new Uint8Array(0), ascii('abc'), ascii('abcd'), withMagic, noise(301, 6)];
  const framedRecords = payloads.map(frameRecordIo);
  const file = concatBytes(framedRecords);
  const offsets = [0, 16, 24, 36, 48, 96];

  it('frames "withMagic" in three parts', () => {
    expect(framedRecords[4].length).toBe(8 + 8 + (8 + 4) + (8 + 12));
  });

  it.each(CHUNKINGS)('round-trips payloads, framing and offsets with %s', async (_name, sizes) => {
    const records = await splitAll(codec, file, sizes);
    expect(records.map((r) => hexOf(r.payload))).toEqual(payloads.map(hexOf));
    expect(records.map((r) => hexOf(r.framed))).toEqual(framedRecords.map(hexOf));
    expect(records.map((r) => r.offset)).toEqual(offsets);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await splitAll(codec, new Uint8Array(0))).toEqual([]);
  });

  it('ignores the content of padding bytes, as dmlc does', async () => {
    const dirty = frame(0, ascii('hello'));
    dirty[13] = 0xff;
    expect((await splitAll(codec, dirty)).map((r) => hexOf(r.payload))).toEqual([hexOf(ascii('hello'))]);
  });

  it.each(CHUNKINGS)('names record, offset and check for a bad magic (%s)', async (_name, sizes) => {
    const corrupt = file.slice();
    corrupt[offsets[2]] = 0x0b;
    const error = await splitError(codec, corrupt, sizes);
    expect(error).toBeInstanceOf(RecordFormatError);
    expect(error).toMatchObject({ source: 'test.bin', recordIndex: 2, offset: 24, check: 'bad RecordIO magic' });
    expect((error as Error).message).toBe(
      'test.bin: record 2 at byte offset 24: bad RecordIO magic check failed: the record starts with 0xced7230b, not the magic 0xced7230a',
    );
  });

  it('names the part whose magic is bad in a multipart record', async () => {
    const corrupt = file.slice();
    corrupt[offsets[4] + 16 + 3] = 0;
    const error = await splitError(codec, corrupt);
    expect(error).toMatchObject({ recordIndex: 4, offset: 48, check: 'bad RecordIO magic' });
    expect((error as Error).message).toContain('part 1 (at byte offset 64) starts with 0x00d7230a');
  });

  it.each([
    ['a middle part with no first part', [frame(2, ascii('abcd'))], 0, 'the record has cflag 2, expected 0 (whole record) or 1 (first part)'],
    ['a last part with no first part', [frame(0, ascii('a')), frame(3, ascii('abcd'))], 1, 'the record has cflag 3'],
    ['a whole record inside a multipart one', [frame(1, ascii('abcd')), frame(0, ascii('x'))], 0, 'part 1 (at byte offset 12) has cflag 0, expected 2 (middle part) or 3 (last part)'],
    ['a cflag beyond 3', [frame(5, ascii('x'))], 0, 'has cflag 5'],
  ])('rejects %s', async (_name, frames, recordIndex, detail) => {
    const error = await splitError(codec, concatBytes(frames));
    expect(error).toMatchObject({ recordIndex, check: 'bad RecordIO cflag' });
    expect((error as Error).message).toContain(detail);
  });

  it('reports a multipart record the file ends inside', async () => {
    const error = await splitError(codec, concatBytes([frame(1, ascii('abcd')), frame(2, ascii('efgh'))]));
    expect(error).toMatchObject({ recordIndex: 0, offset: 0, check: 'truncated multipart record' });
    expect((error as Error).message).toContain('ends after part 1 without a last part (cflag 3)');
  });

  it.each(CHUNKINGS)('reports a header cut short (%s)', async (_name, sizes) => {
    const error = await splitError(codec, file.subarray(0, offsets[5] + 7), sizes);
    expect(error).toMatchObject({ recordIndex: 5, offset: 96, check: 'truncated length' });
    expect((error as Error).message).toContain('only 7 bytes remain');
  });

  it.each([
    ['data', 8 + 100],
    ['padding', 8 + 302],
  ])('reports a record whose %s is cut short', async (_name, kept) => {
    const error = await splitError(codec, file.subarray(0, offsets[5] + kept));
    expect(error).toMatchObject({ recordIndex: 5, offset: 96, check: 'truncated payload' });
    expect((error as Error).message).toContain(`announces 301 bytes of data (312 bytes with header and padding), only ${kept} bytes remain`);
  });

  it('refuses a record over maxPayloadBytes, counting every part and re-inserted magic', async () => {
    const limited = recordIoCodec({ maxPayloadBytes: withMagic.length - 1 });
    expect(await splitError(limited, framedRecords[4])).toMatchObject({ recordIndex: 0, check: 'record too large' });
    expect((await splitAll(recordIoCodec({ maxPayloadBytes: withMagic.length }), framedRecords[4])).map((r) => hexOf(r.payload))).toEqual([
      hexOf(withMagic),
    ]);
  });
});
