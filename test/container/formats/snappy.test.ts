import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError } from '../../../container/errors';
import { snappyCompress, snappyUncompress } from '../../../container/formats/snappy';
import { describeWithFixtures, fixture } from '../../support/fixtures';
import { ascii, noise } from '../../support/bytes';



function expectFormatError(fn: () => unknown, message: RegExp): void {
  expect(fn).toThrow(FormatError);
  expect(fn).toThrow(message);
}

describe('snappyUncompress', () => {
  it('decodes literals and overlapping 1-byte-offset copies', () => {
    // preamble 6, literal "ab", copy length 4 offset 2
    const decoded = snappyUncompress(Uint8Array.of(6, 0x04, 0x61, 0x62, 0x01, 0x02), 'test');
    expect(new TextDecoder().decode(decoded)).toBe('ababab');
  });

  it('decodes 2- and 4-byte-offset copies and long literal lengths', () => {
    const literal = noise(100, 0x9e3779b9);
    // literal of 100 (tag 60 + 1 length byte), copy-2 of 8 bytes at offset 100, copy-4 of 2 bytes at offset 1
    const stream = Uint8Array.of(110, 60 << 2, 99, ...literal, 2 | (7 << 2), 100, 0, 3 | (1 << 2), 1, 0, 0, 0);
    const decoded = snappyUncompress(stream, 'test');
    expect(decoded.subarray(0, 100)).toEqual(literal);
    expect(decoded.subarray(100, 108)).toEqual(literal.subarray(0, 8));
    expect(Array.from(decoded.subarray(108))).toEqual([literal[7], literal[7]]);
  });

  it('decodes an empty block', () => {
    expect(snappyUncompress(Uint8Array.of(0), 'test')).toEqual(new Uint8Array(0));
  });

  it.each([
    ['an empty input', [], /block x: snappy length preamble is truncated at byte offset 0/],
    ['an unterminated preamble', [0x80, 0x80], /truncated at byte offset 2/],
    ['a preamble longer than 5 bytes', [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], /longer than 5 bytes/],
    ['a literal past the end', [4, 0x0c, 0x61], /literal of 4 bytes runs past the end of the input at byte offset 1/],
    ['a literal length past the end', [4, 61 << 2, 1], /literal length of 2 bytes runs past the end of the input at byte offset 1/],
    ['a literal longer than declared', [1, 0x04, 0x61, 0x62], /overflows the declared 1 bytes at byte offset 1/],
    ['a copy with offset 0', [5, 0x00, 0x61, 0x01, 0x00], /copy with offset 0 at byte offset 3/],
    ['a copy reaching before the start', [5, 0x00, 0x61, 0x01, 0x02], /copy offset 2 reaches before the start of the output \(at 1\) at byte offset 3/],
    ['a copy longer than declared', [4, 0x00, 0x61, 0x01, 0x01], /copy of 4 bytes overflows the declared 4 bytes at byte offset 3/],
    ['a truncated copy offset', [5, 0x00, 0x61, 0x02, 0x01], /copy offset runs past the end of the input at byte offset 3/],
    ['an impossible declared length', [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61], /declares 4294967295 bytes, more than 7 compressed bytes can hold/],
    ['too few bytes for the preamble', [3, 0x04, 0x61, 0x62], /stream ends after 2 bytes of the declared 3 at byte offset 4/],
  ])('rejects %s', (_name, bytes, message) => {
    expectFormatError(() => snappyUncompress(Uint8Array.from(bytes), 'block x'), message);
  });
});

describe('snappyCompress', () => {
  const repetitive = ascii('tensorflow/serving '.repeat(500));
  const mixed = new Uint8Array(200_000);
  mixed.set(noise(50_000, 0x9e3779b9), 0);
  mixed.fill(7, 50_000, 120_000);
  mixed.set(ascii('abcabcabd'.repeat(8000)), 120_000);

  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(42)],
    ['shorter than the 15-byte margin', ascii('abcabcabcabc')],
    ['repetitive text', repetitive],
    ['random bytes', noise(70_000, 0x9e3779b9)],
    ['several 64 KiB fragments of mixed content', mixed],
  ])('round-trips %s', (_name, data) => {
    // Buffer.equals: jest's toEqual walks large typed arrays element by element, far too slowly.
    expect(Buffer.from(snappyUncompress(snappyCompress(data), 'round trip')).equals(data)).toBe(true);
  });

  it('decodes to the exact length when the input is a long run (overlapping copies)', () => {
    const run = new Uint8Array(1000).fill(0x61);
    const compressed = snappyCompress(run);
    expect(compressed.length).toBeLessThan(60); // 16 copies of 64 bytes at 3 bytes each, plus a literal
    expect(Buffer.from(snappyUncompress(compressed, 'run')).equals(run)).toBe(true);
  });

  it('shrinks repetitive input', () => {
    expect(snappyCompress(repetitive).length).toBeLessThan(repetitive.length / 10);
  });

  it('keeps incompressible input within the Snappy bound', () => {
    const data = noise(100_000, 0x9e3779b9);
    expect(snappyCompress(data).length).toBeLessThanOrEqual(32 + data.length + data.length / 6);
  });
});

describeWithFixtures('Snappy blocks written by TensorFlow', () => {
  // Data block handles from the footers of these variables.index files: offset 0, then the stored size.
  it.each([
    ['half_plus_two_tf2', 153, 192],
    ['half_plus_two_mlmd', 87, 100],
  ])('%s: decodes the data block and re-encodes it to the same bytes', (model, storedSize, rawSize) => {
    const index = fs.readFileSync(path.join(fixture(model), 'variables', 'variables.index'));
    expect(index[storedSize]).toBe(1); // block type: Snappy
    const compressed = index.subarray(0, storedSize);
    const block = snappyUncompress(compressed, model);
    expect(block.length).toBe(rawSize);
    // One restart point at 0: the block ends with restarts [0] and count 1.
    expect(Array.from(block.subarray(rawSize - 8))).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    // The header entry comes first: shared 0, unshared 0, value length 6, BundleHeaderProto {num_shards 1, version {producer 1}}.
    expect(Array.from(block.subarray(0, 9))).toEqual([0, 0, 6, 0x08, 0x01, 0x1a, 0x02, 0x08, 0x01]);
    expect(snappyCompress(block)).toEqual(new Uint8Array(compressed));
  });
});
