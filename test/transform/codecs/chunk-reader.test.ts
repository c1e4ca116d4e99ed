import { ChunkReader } from '../../../transform/codecs/chunk-reader';
import { ascii } from '../../support/bytes';
import { inChunks } from './chunking';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('ChunkReader', () => {
  it('peeks and takes across chunk boundaries, tracking the position', async () => {
    const reader = new ChunkReader(inChunks(ascii('abcdefghij'), () => 3));
    expect(await reader.fill(5)).toBe(6);
    expect(text(reader.peek(5))).toBe('abcde');
    expect(text(reader.take(2))).toBe('ab');
    expect(text(reader.take(4))).toBe('cdef');
    expect(reader.position).toBe(6);
    expect(await reader.fill(100)).toBe(4);
    expect(text(reader.take(100))).toBe('ghij');
    expect(await reader.fill(1)).toBe(0);
    expect(reader.position).toBe(10);
  });

  it('hands out a view, not a copy, when the bytes lie in one chunk', async () => {
    const chunk = ascii('abcdef');
    const reader = new ChunkReader(inChunks(chunk, () => 6));
    await reader.fill(1);
    // inChunks slices, so compare against the reader's own chunk through two takes.
    const first = reader.take(2);
    const second = reader.take(2);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + 2);
  });

  it('scans for a byte through chunks, up to a limit', async () => {
    const reader = new ChunkReader(inChunks(ascii('ab\ncdefgh\nij'), () => 2));
    expect(await reader.scanThrough(0x0a, 100)).toEqual({ length: 3, found: true });
    reader.take(3);
    expect(await reader.scanThrough(0x0a, 4)).toEqual({ length: 4, found: false });
    expect(await reader.scanThrough(0x0a, 7)).toEqual({ length: 7, found: true });
    reader.take(7);
    expect(await reader.scanThrough(0x0a, 100)).toEqual({ length: 2, found: false });
    reader.take(2);
    expect(await reader.scanThrough(0x0a, 100)).toEqual({ length: 0, found: false });
  });

  it('skips empty chunks', async () => {
    async function* source(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(0);
      yield ascii('a');
      yield new Uint8Array(0);
      yield ascii('b');
    }
    const reader = new ChunkReader(source());
    expect(await reader.fill(2)).toBe(2);
    expect(text(reader.take(2))).toBe('ab');
  });
});
