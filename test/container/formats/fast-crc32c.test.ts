import { crc32c } from '../../../container/formats/crc32c';
import { fastCrc32c, NATIVE_MIN_BYTES, nativeCrc32c } from '../../../container/formats/fast-crc32c';
import { ascii, noise } from '../../support/bytes';

const LENGTHS = [0, 1, 7, 8, 9, 63, 255, 256, 257, 1000, 4096, 65_537];
const SEEDS = [0, 1, 0xe3069283, 0xffffffff];

describe('fastCrc32c', () => {
  it.each([
    ['"123456789"', ascii('123456789'), 0xe3069283],
    ['32 zero bytes (RFC 3720)', new Uint8Array(32), 0x8a9136aa],
    ['bytes 0x00..0x1F repeated past the native threshold', Uint8Array.from({ length: 4096 }, (_, i) => i & 0x1f), crc32c(Uint8Array.from({ length: 4096 }, (_, i) => i & 0x1f))],
  ])('%s', (_name, bytes, expected) => {
    expect(fastCrc32c(bytes)).toBe(expected);
  });

  it('agrees with the JS CRC on every size and seed, either side of the native threshold', () => {
    for (const length of [...LENGTHS, NATIVE_MIN_BYTES - 1]) {
      const data = noise(length, length + 1);
      for (const seed of SEEDS) expect([length, seed, fastCrc32c(data, seed)]).toEqual([length, seed, crc32c(data, seed)]);
    }
  });

  it('continues over chunks to the CRC of the whole', () => {
    const data = noise(10_000, 3);
    const first = fastCrc32c(data.subarray(0, 300));
    expect(fastCrc32c(data.subarray(300), first)).toBe(crc32c(data));
  });
});

describe('fastCrc32c without the optional native package', () => {
  it('falls back to JS for every size', () => {
    jest.isolateModules(() => {
      jest.doMock('@node-rs/crc32', () => {
        throw new Error('Cannot find module @node-rs/crc32-linux-x64-gnu');
      });
      // A fresh copy of the module, which sees the mock instead of the installed package.
      const isolated = require('../../../container/formats/fast-crc32c') as typeof import('../../../container/formats/fast-crc32c');
      expect(isolated.nativeCrc32c()).toBeNull();
      const data = noise(5000, 17);
      expect(isolated.fastCrc32c(data, 7)).toBe(crc32c(data, 7));
    });
    jest.dontMock('@node-rs/crc32');
  });
});

const native = nativeCrc32c();
if (!native) {
  // Absent under `npm ci --omit=optional` or on a platform without a prebuilt; fastCrc32c then uses JS only.
  console.log('skipping native crc32c tests: @node-rs/crc32 cannot be loaded here');
}
(native ? describe : describe.skip)('native crc32c from @node-rs/crc32', () => {
  it('agrees with the JS CRC on many sizes, seeds and unaligned views', () => {
    const backing = noise(70_000, 99);
    for (const length of LENGTHS) {
      for (const start of [0, 1, 3]) {
        const data = backing.subarray(start, start + length);
        for (const seed of SEEDS) expect([length, start, seed, native?.(data, seed)]).toEqual([length, start, seed, crc32c(data, seed)]);
      }
    }
  });
});
