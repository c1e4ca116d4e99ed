import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError } from '../../../container/errors';
import { readSstable, writeSstable, type SstableEntry } from '../../../container/formats/sstable';
import { describeWithFixtures, fixture } from '../../support/fixtures';

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

function entry(key: string, value: string): SstableEntry {
  return { key: utf8.encode(key), value: utf8.encode(value) };
}

/** Keys with long shared prefixes, so both prefix compression and Snappy have something to do. */
function manyEntries(count: number): SstableEntry[] {
  return Array.from({ length: count }, (_, i) =>
    entry(`layer_${String(i).padStart(4, '0')}/kernel/.ATTRIBUTES/VARIABLE_VALUE`, `value ${i} `.repeat(1 + (i % 5))),
  );
}

function asPairs(entries: SstableEntry[]): Array<[string, string]> {
  return entries.map(({ key, value }) => [text(key), text(value)]);
}

function expectFormatError(fn: () => unknown, message: RegExp): void {
  expect(fn).toThrow(FormatError);
  expect(fn).toThrow(message);
}

describe('writeSstable → readSstable', () => {
  it.each([
    ['one block, uncompressed', manyEntries(40), {}],
    ['one block, Snappy', manyEntries(40), { compress: true }],
    ['many small blocks', manyEntries(300), { blockSize: 256 }],
    ['many small blocks, Snappy', manyEntries(300), { blockSize: 256, compress: true }],
    ['no entries', [], {}],
    ['an empty key and binary keys', [entry('', 'header'), { key: Uint8Array.of(0, 0xff), value: Uint8Array.of(1) }, { key: Uint8Array.of(0xff, 0xff), value: new Uint8Array(0) }], {}],
  ])('round-trips %s', (_name, entries, options) => {
    const table = writeSstable(entries, options);
    expect(asPairs(readSstable(table, 'table'))).toEqual(asPairs(entries));
  });

  it('compresses only when Snappy saves at least 12.5%', () => {
    const entries = manyEntries(40);
    expect(writeSstable(entries, { compress: true }).length).toBeLessThan(writeSstable(entries).length / 2);
    const incompressible = [{ key: utf8.encode('k'), value: Uint8Array.from({ length: 64 }, (_, i) => (i * 97) & 0xff) }];
    expect(writeSstable(incompressible, { compress: true })).toEqual(writeSstable(incompressible));
  });

  it('writes the layout of a one-entry table byte for byte', () => {
    const table = writeSstable([entry('a', 'b')]);
    const dataBlock = [0, 1, 1, 0x61, 0x62, 0, 0, 0, 0, 1, 0, 0, 0];
    expect(Array.from(table.subarray(0, dataBlock.length))).toEqual(dataBlock);
    expect(table[13]).toBe(0); // raw block
    // The index key is the short successor of "a": "b"; its value is the handle (0, 13).
    const indexAt = 13 + 5 + 8 + 5;
    expect(Array.from(table.subarray(indexAt, indexAt + 6))).toEqual([0, 1, 2, 0x62, 0, 13]);
    expect(Array.from(table.subarray(table.length - 8))).toEqual([0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);
    expect(table.length).toBe(indexAt + 14 + 5 + 48);
  });

  it('rejects keys out of order', () => {
    expect(() => writeSstable([entry('b', ''), entry('a', '')])).toThrow("entry 1's key is not greater than entry 0's");
    expect(() => writeSstable([entry('a', ''), entry('a', '')])).toThrow(RangeError);
  });
});

describe('readSstable errors', () => {
  const table = writeSstable(manyEntries(300), { blockSize: 1024 });

  it('names a bad magic number', () => {
    const bad = table.slice();
    bad[bad.length - 1] ^= 1;
    expectFormatError(() => readSstable(bad, 'x.index'), new RegExp(`^x.index: bad magic at byte offset ${table.length - 8}`));
  });

  it('names a file shorter than the footer', () => {
    expectFormatError(() => readSstable(table.subarray(0, 47), 'x.index'), /x.index: truncated: 47 bytes/);
  });

  it('names the block whose CRC fails', () => {
    const bad = table.slice();
    bad[5] ^= 0x10;
    expectFormatError(() => readSstable(bad, 'x.index'), /x.index: bad CRC in block at byte offset 0: stored 0x[0-9a-f]+, computed 0x[0-9a-f]+/);
  });

  it('names a block that runs past the file', () => {
    const cut = Uint8Array.from([...table.subarray(0, 2000), ...table.subarray(table.length - 48)]);
    expectFormatError(() => readSstable(cut, 'x.index'), /x.index: truncated: block at byte offset \d+ .* runs past the data of the 2048-byte file/);
  });
});

describeWithFixtures('variables.index files written by TensorFlow', () => {
  const models: Array<[string, string, boolean]> = [
    ['half_plus_three', '00000123', false],
    ['counter', '00000123', false],
    ['half_plus_two_2_versions', '00000123', false],
    ['half_plus_two_mlmd', '00000123', true],
    ['half_plus_two_tf2', '00000123', true],
    ['times_two_int', '1', false],
    ['int64_multiply', '1', false],
    ['module_with_multiple_signatures', '1', false],
  ];

  it.each(models)('%s: reads the entries and rewrites the file byte for byte', (model, version, compressed) => {
    const file = path.join(fixture(model, version), 'variables', 'variables.index');
    const bytes = new Uint8Array(fs.readFileSync(file));
    const entries = readSstable(bytes, file);
    expect(text(entries[0].key)).toBe('');
    expect(Array.from(entries[0].value)).toEqual([0x08, 0x01, 0x1a, 0x02, 0x08, 0x01]);
    expect(Buffer.from(writeSstable(entries, { compress: compressed })).equals(bytes)).toBe(true);
  });

  it('lists half_plus_two_tf2 keys in order', () => {
    const file = path.join(fixture('half_plus_two_tf2'), 'variables', 'variables.index');
    expect(readSstable(fs.readFileSync(file), file).map((e) => text(e.key))).toEqual([
      '',
      '_CHECKPOINTABLE_OBJECT_GRAPH',
      'a/.ATTRIBUTES/VARIABLE_VALUE',
      'b/.ATTRIBUTES/VARIABLE_VALUE',
      'c/.ATTRIBUTES/VARIABLE_VALUE',
    ]);
  });

  it('names the compressed data block whose CRC fails', () => {
    const file = path.join(fixture('half_plus_two_tf2'), 'variables', 'variables.index');
    const bad = new Uint8Array(fs.readFileSync(file));
    bad[40] ^= 0xff;
    expectFormatError(() => readSstable(bad, file), new RegExp(`${file}: bad CRC in block at byte offset 0`));
  });
});
