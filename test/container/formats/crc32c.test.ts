import { crc32c, maskCrc, unmaskCrc } from '../../../container/formats/crc32c';
import { ascii, noise } from '../../support/bytes';


/** Bit-at-a-time CRC-32C straight from the definition, to check the sliced tables against. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}


describe('crc32c', () => {
  it.each([
    ['"123456789"', ascii('123456789'), 0xe3069283],
    ['the quick brown fox', ascii('The quick brown fox jumps over the lazy dog'), 0x22620404],
    ['32 zero bytes (RFC 3720)', new Uint8Array(32), 0x8a9136aa],
    ['32 0xFF bytes (RFC 3720)', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['bytes 0x00..0x1F (RFC 3720)', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['no bytes', new Uint8Array(0), 0],
  ])('%s', (_name, bytes, expected) => {
    expect(crc32c(bytes)).toBe(expected);
  });

  it('matches the bitwise definition for every tail length', () => {
    const data = noise(67);
    for (let length = 0; length <= data.length; length++) {
      expect(crc32c(data.subarray(0, length))).toBe(referenceCrc32c(data.subarray(0, length)));
    }
  });

  it('continues chunk by chunk to the same value as the whole', () => {
    const data = noise(10_000);
    const whole = crc32c(data);
    for (const cuts of [[1], [7, 8, 9], [4096, 4097], [3, 1000, 5003, 9999]]) {
      let crc = 0;
      let from = 0;
      for (const to of [...cuts, data.length]) {
        crc = crc32c(data.subarray(from, to), crc);
        from = to;
      }
      expect(crc).toBe(whole);
    }
  });

  it('reads unaligned views correctly', () => {
    const data = noise(100);
    expect(crc32c(data.subarray(3, 90))).toBe(referenceCrc32c(data.slice(3, 90)));
  });
});

describe('maskCrc / unmaskCrc', () => {
  it('gives the checksums of TFRecord framing (batch-transform.md §9.1)', () => {
    // empty record: masked CRC of 8 zero length bytes is 29 03 98 07
    expect(maskCrc(crc32c(new Uint8Array(8)))).toBe(0x07980329);
    // "hello": length CRC ea b2 04 3e, data CRC bb 1f 1c 19
    expect(maskCrc(crc32c(Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0)))).toBe(0x3e04b2ea);
    expect(maskCrc(crc32c(ascii('hello')))).toBe(0x191c1fbb);
  });

  it('unmask inverts mask', () => {
    for (const crc of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xe3069283, 0xa282ead8]) {
      expect(unmaskCrc(maskCrc(crc))).toBe(crc);
    }
  });
});
