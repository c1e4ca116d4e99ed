import { lineCodec } from '../../../transform/codecs/line-codec';
import { ascii } from '../../support/bytes';
import { CHUNKINGS, hexOf, splitAll, splitError } from './chunking';

const codec = lineCodec();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('lineCodec split', () => {
  const file = ascii('1,2,3\n\n{"a": "é"}\r\nlast line without newline');

  it.each(CHUNKINGS)('splits lines, keeping empty ones and the unterminated last one, with %s', async (_name, sizes) => {
    const records = await splitAll(codec, file, sizes);
    expect(records.map((r) => text(r.payload))).toEqual(['1,2,3', '', '{"a": "é"}\r', 'last line without newline']);
    expect(records.map((r) => text(r.framed))).toEqual(['1,2,3\n', '\n', '{"a": "é"}\r\n', 'last line without newline']);
    expect(records.map((r) => r.offset)).toEqual([0, 6, 7, 20]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('gives framed records that concatenate back to the input', async () => {
    const records = await splitAll(codec, file, () => 2);
    expect(hexOf(Buffer.concat(records.map((r) => r.framed)))).toBe(hexOf(file));
  });

  it('makes no empty record after a final newline', async () => {
    expect((await splitAll(codec, ascii('a\nb\n'))).map((r) => text(r.payload))).toEqual(['a', 'b']);
  });

  it('yields nothing for an empty file', async () => {
    expect(await splitAll(codec, new Uint8Array(0))).toEqual([]);
  });

  it('frames a payload as the line plus a newline', () => {
    expect(text(codec.frame(ascii('x,y')))).toBe('x,y\n');
  });

  it.each(CHUNKINGS)('accepts a line exactly at maxPayloadBytes and names the first longer one (%s)', async (_name, sizes) => {
    const limited = lineCodec({ maxPayloadBytes: 4 });
    expect((await splitAll(limited, ascii('abcd\nabc\nabcd'), sizes)).map((r) => text(r.payload))).toEqual(['abcd', 'abc', 'abcd']);
    const error = await splitError(limited, ascii('abcd\nabcdefghij\nx\n'), sizes);
    expect(error).toMatchObject({ source: 'test.bin', recordIndex: 1, offset: 5, check: 'record too large' });
    expect((error as Error).message).toContain('the 5-byte payload exceeds the limit of 4 bytes');
  });

  it('stops buffering a line with no newline at the limit', async () => {
    let pulled = 0;
    async function* endless(): AsyncIterable<Uint8Array> {
      for (;;) {
        pulled++;
        yield ascii('xxxxxxxxxx');
      }
    }
    const records = lineCodec({ maxPayloadBytes: 100 }).split(endless(), 'endless');
    await expect(records[Symbol.asyncIterator]().next()).rejects.toMatchObject({ check: 'record too large' });
    expect(pulled).toBe(11);
  });
});
