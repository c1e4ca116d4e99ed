import { noneCodec } from '../../../transform/codecs/none-codec';
import { noise } from '../../support/bytes';
import { CHUNKINGS, hexOf, splitAll, splitError } from './chunking';

const codec = noneCodec();

describe('noneCodec split', () => {
  const object = noise(5000, 21);

  it.each(CHUNKINGS)('yields the whole object as one record with %s', async (_name, sizes) => {
    const records = await splitAll(codec, object, sizes);
    expect(records.map((r) => [r.index, r.offset, hexOf(r.payload), hexOf(r.framed)])).toEqual([[0, 0, hexOf(object), hexOf(object)]]);
  });

  it('yields nothing for an empty object', async () => {
    expect(await splitAll(codec, new Uint8Array(0))).toEqual([]);
  });

  it('frames a payload as itself', () => {
    expect(codec.frame(object)).toBe(object);
  });

  it('refuses an object over maxPayloadBytes', async () => {
    expect((await splitAll(noneCodec({ maxPayloadBytes: 5000 }), object)).length).toBe(1);
    const error = await splitError(noneCodec({ maxPayloadBytes: 4999 }), object, () => 1000);
    expect(error).toMatchObject({ recordIndex: 0, offset: 0, check: 'record too large' });
    expect((error as Error).message).toBe(
      'test.bin: record 0 at byte offset 0: record too large check failed: the 5000-byte payload exceeds the limit of 4999 bytes',
    );
  });
});
