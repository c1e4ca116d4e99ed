import type { RecordCodec, SplitRecord } from '../../../transform/codecs/record-codec';

/** Test helpers: feed bytes to a codec in chunks of chosen or pseudo-random sizes. */

export async function* inChunks(bytes: Uint8Array, sizes: (index: number) => number): AsyncIterable<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes(i);
    yield bytes.slice(at, at + size);
    at += size;
  }
}

/** Pseudo-random chunk sizes in [0, max] (0: empty chunks must be skipped), reproducible from `seed`. */
export function randomSizes(seed: number, max: number): (index: number) => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % (max + 1);
  };
}

/** The chunkings every round trip is run with: whole, 1-byte, fixed odd sizes and seeded random ones. */
export const CHUNKINGS: [string, (index: number) => number][] = [
  ['one chunk', () => Number.MAX_SAFE_INTEGER],
  ['1-byte chunks', () => 1],
  ['3-byte chunks', () => 3],
  ['13-byte chunks', () => 13],
  ['random chunks up to 5 bytes', randomSizes(7, 5)],
  ['random chunks up to 64 bytes', randomSizes(11, 64)],
  ['random chunks up to 4 KiB', randomSizes(13, 4096)],
];

export async function collect(records: AsyncIterable<SplitRecord>): Promise<SplitRecord[]> {
  const out: SplitRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

export async function splitAll(codec: RecordCodec, bytes: Uint8Array, sizes: (index: number) => number = () => bytes.length): Promise<SplitRecord[]> {
  return collect(codec.split(inChunks(bytes, sizes), 'test.bin'));
}

/** The rejection of a split, for asserting on its RecordFormatError fields. */
export async function splitError(codec: RecordCodec, bytes: Uint8Array, sizes?: (index: number) => number): Promise<unknown> {
  return splitAll(codec, bytes, sizes).then(
    () => {
      throw new Error('expected the split to fail');
    },
    (error: unknown) => error,
  );
}

/** Hex strings compare far faster in jest than large typed arrays. */
export const hexOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
