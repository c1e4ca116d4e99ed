import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FormatError } from '../../../container/errors';
import { encodeMessage, protos } from '../../../container/formats/proto';
import { writeSstable } from '../../../container/formats/sstable';
import { makeTensor, type Tensor } from '../../../container/formats/tensor';
import { TensorBundle, dataFilePath, writeTensorBundle } from '../../../container/formats/tensor-bundle';
import { describeWithFixtures, fixture } from '../../support/fixtures';

const utf8 = new TextEncoder();
const variablesOf = (model: string, version?: string) => path.join(fixture(model, version), 'variables', 'variables');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tensor-bundle-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectFormatError(fn: () => unknown, ...messages: Array<string | RegExp>): void {
  expect(fn).toThrow(FormatError);
  for (const message of messages) expect(fn).toThrow(message);
}

/** Plain values for comparing tensors with toEqual (typed arrays of different buffers compare fine, bigint too). */
function plain(tensor: Tensor): unknown {
  const values = tensor.dtype === 'string' ? (tensor.values as Uint8Array[]).map((s) => Array.from(s)) : Array.from(tensor.values as ArrayLike<unknown>);
  return { dtype: tensor.dtype, shape: tensor.shape, values };
}

describeWithFixtures('TensorBundle on TensorFlow checkpoints', () => {
  const scalar = (dtype: Tensor['dtype'], value: number | bigint) => ({ dtype, shape: [], values: [value] });
  const tf2 = (name: string) => `${name}/.ATTRIBUTES/VARIABLE_VALUE`;

  it.each([
    ['half_plus_three', '00000123', { a: scalar('float32', 0.5), b: scalar('float32', 3), c: scalar('float32', 3) }],
    ['half_plus_two_2_versions', '00000124', { a: scalar('float32', 0.5), b: scalar('float32', 2), c: scalar('float32', 3) }],
    ['half_plus_two_mlmd', '00000123', {
      a: scalar('float32', 0.5), a2: scalar('float32', 0.5), b: scalar('float32', 2), c: scalar('float32', 3), c2: scalar('float32', 3),
    }],
    ['counter', '00000123', { counter: scalar('float32', 0) }],
    ['half_plus_two_tf2', '00000123', { [tf2('a')]: scalar('float32', 0.5), [tf2('b')]: scalar('float32', 2), [tf2('c')]: scalar('float32', 3) }],
    ['times_two_int', '1', { [tf2('v')]: scalar('int32', 2) }],
    ['model_multi_output', '1', { [tf2('two')]: scalar('int32', 2), [tf2('v')]: scalar('float32', 3) }],
    ['int64_multiply', '1', { [tf2('v1')]: scalar('int64', 3n), [tf2('v2')]: scalar('int64', 2n) }],
  ])('%s/%s: reads every variable exactly', (model, version, expected) => {
    const bundle = TensorBundle.open(variablesOf(model, version));
    const variables = bundle.keys().filter((key) => key !== '_CHECKPOINTABLE_OBJECT_GRAPH');
    expect(variables).toEqual(Object.keys(expected).sort());
    expect(Object.fromEntries(variables.map((key) => [key, plain(bundle.read(key))]))).toEqual(expected);
  });

  it('describes entries as stored in the index', () => {
    const bundle = TensorBundle.open(variablesOf('half_plus_two_tf2'));
    expect(bundle.numShards).toBe(1);
    expect(bundle.has('a/.ATTRIBUTES/VARIABLE_VALUE')).toBe(true);
    expect(bundle.has('a')).toBe(false);
    expect(bundle.entry('b/.ATTRIBUTES/VARIABLE_VALUE')).toEqual({
      dtype: 'DT_FLOAT', shape: [], shard: 0, offset: 4, size: 4, crc32c: 0x4f78fd10, sliced: false,
    });
    expect(bundle.entry('_CHECKPOINTABLE_OBJECT_GRAPH')).toMatchObject({ dtype: 'DT_STRING', shape: [], offset: 12, size: 619 });
  });

  it('reads the DT_STRING object graph, checking both of its CRCs', () => {
    const graph = TensorBundle.open(variablesOf('half_plus_two_tf2')).read('_CHECKPOINTABLE_OBJECT_GRAPH');
    expect(graph.dtype).toBe('string');
    expect(graph.shape).toEqual([]);
    const bytes = (graph.values as Uint8Array[])[0];
    expect(bytes.length).toBe(613); // 619 = varint length (2 bytes) + checksum (4) + 613
    expect(Buffer.from(bytes).toString('latin1')).toContain('VARIABLE_VALUE');
  });

  it.each([
    ['half_plus_three', '00000123', false],
    ['half_plus_two_mlmd', '00000123', true],
  ])('%s: rewriting its tensors reproduces TensorFlow\'s files byte for byte', (model, version, compress) => {
    const source = variablesOf(model, version);
    const bundle = TensorBundle.open(source);
    const prefix = path.join(dir, 'variables', 'variables');
    writeTensorBundle(prefix, Object.fromEntries(bundle.keys().map((key) => [key, bundle.read(key)])), { compress });
    for (const suffix of ['.index', '.data-00000-of-00001']) {
      expect(fs.readFileSync(prefix + suffix).equals(fs.readFileSync(source + suffix))).toBe(true);
    }
  });
});

describe('writeTensorBundle → TensorBundle', () => {
  const strings = (...s: string[]) => s.map((x) => utf8.encode(x));
  const tensors: Record<string, Tensor> = {
    'dense/kernel': makeTensor('float32', [2, 3], Float32Array.of(0.5, -1.25, 3e38, 0, -0, 1e-45)),
    'dense/bias': makeTensor('float64', [3], Float64Array.of(Math.PI, -Infinity, 1e-300)),
    counts: makeTensor('int32', [4], Int32Array.of(0, -1, 2147483647, -2147483648)),
    step: makeTensor('int64', [], BigInt64Array.of(-(2n ** 63n))),
    big: makeTensor('int64', [2], BigInt64Array.of(2n ** 53n + 1n, -5n)),
    mask: makeTensor('bool', [2, 2], Uint8Array.of(1, 0, 0, 1)),
    pixels: makeTensor('uint8', [3], Uint8Array.of(0, 128, 255)),
    vocabulary: makeTensor('string', [2, 2], [...strings('hello', '', 'héllo wörld'), Uint8Array.of(0, 0xff, 10)]),
    note: makeTensor('string', [], strings('x'.repeat(300))),
    nothing: makeTensor('float32', [0, 4], new Float32Array(0)),
    no_strings: makeTensor('string', [0], []),
  };

  it.each([false, true])('round-trips every dtype (compress %s)', (compress) => {
    const prefix = path.join(dir, 'variables');
    writeTensorBundle(prefix, tensors, { compress });
    const bundle = TensorBundle.open(prefix);
    expect(bundle.keys()).toEqual(Object.keys(tensors).sort());
    for (const [key, tensor] of Object.entries(tensors)) expect(plain(bundle.read(key))).toEqual(plain(tensor));
  });

  it('lays out tensors in key order, strings as TensorFlow does', () => {
    const prefix = path.join(dir, 'variables');
    writeTensorBundle(prefix, { b: tensors.mask, a: makeTensor('string', [2], strings('ab', 'c')) });
    const data = fs.readFileSync(dataFilePath(prefix, 0, 1));
    // "a": varint lengths 2, 1; the masked CRC of the lengths as uint32 words; the bytes. Then "b".
    expect(data.length).toBe(2 + 4 + 3 + 4);
    expect(Array.from(data.subarray(0, 2))).toEqual([2, 1]);
    expect(data.subarray(6, 9).toString()).toBe('abc');
    expect(Array.from(data.subarray(9))).toEqual([1, 0, 0, 1]);
    expect(TensorBundle.open(prefix).entry('b')).toMatchObject({ offset: 9, size: 4 });
  });

  it('writes the same bytes for the same input', () => {
    const first = path.join(dir, 'first');
    const second = path.join(dir, 'second');
    writeTensorBundle(first, tensors);
    writeTensorBundle(second, Object.fromEntries(Object.entries(tensors).reverse()));
    for (const suffix of ['.index', '.data-00000-of-00001']) {
      expect(fs.readFileSync(first + suffix).equals(fs.readFileSync(second + suffix))).toBe(true);
    }
  });

  it('refuses the empty key, which holds the header', () => {
    expect(() => writeTensorBundle(path.join(dir, 'v'), { '': tensors.step })).toThrow('the empty key is reserved');
  });
});

describe('TensorBundle errors', () => {
  let prefix: string;
  beforeEach(() => {
    prefix = path.join(dir, 'variables');
    writeTensorBundle(prefix, { a: makeTensor('float32', [2], Float32Array.of(1, 2)), s: makeTensor('string', [1], [utf8.encode('abc')]) }, { compress: false });
  });

  /** Rewrites the index with one entry replaced, to build checkpoints TensorFlow could write but tfserve refuses. */
  function replaceEntry(key: string, entry: object): void {
    const header = encodeMessage(protos.BundleHeaderProto, { numShards: 1, version: { producer: 1 } });
    const value = encodeMessage(protos.BundleEntryProto, entry);
    fs.writeFileSync(`${prefix}.index`, writeSstable([{ key: new Uint8Array(0), value: header }, { key: utf8.encode(key), value }]));
  }

  it('names a corrupt index block, its CRC and offset', () => {
    const index = fs.readFileSync(`${prefix}.index`);
    index[3] ^= 1;
    fs.writeFileSync(`${prefix}.index`, index);
    expectFormatError(() => TensorBundle.open(prefix), `${prefix}.index: bad CRC in block at byte offset 0`);
  });

  it('names the tensor whose data fails its CRC', () => {
    const data = fs.readFileSync(dataFilePath(prefix, 0, 1));
    data[1] ^= 1;
    fs.writeFileSync(dataFilePath(prefix, 0, 1), data);
    const bundle = TensorBundle.open(prefix);
    expectFormatError(() => bundle.read('a'), `${prefix}.data-00000-of-00001: tensor "a" at byte offset 0: bad CRC`);
    expect(plain(bundle.read('s'))).toEqual({ dtype: 'string', shape: [1], values: [[0x61, 0x62, 0x63]] });
  });

  it('names a string tensor whose length checksum fails', () => {
    const data = fs.readFileSync(dataFilePath(prefix, 0, 1));
    data[8] = 2; // the varint length of "abc", right after a's 8 bytes
    fs.writeFileSync(dataFilePath(prefix, 0, 1), data);
    expectFormatError(() => TensorBundle.open(prefix).read('s'), `${prefix}.data-00000-of-00001: tensor "s": bad CRC of the string lengths at byte offset 9`);
  });

  it('names a missing data file', () => {
    fs.rmSync(dataFilePath(prefix, 0, 1));
    expectFormatError(() => TensorBundle.open(prefix).read('a'), `${prefix}.data-00000-of-00001: tensor "a"`, /cannot open the data file/);
  });

  it('names a missing index file', () => {
    expectFormatError(() => TensorBundle.open(path.join(dir, 'absent')), `${path.join(dir, 'absent')}.index: cannot read the checkpoint index`);
  });

  it('names a short read', () => {
    replaceEntry('a', { dtype: 'DT_FLOAT', shape: { dim: [{ size: 2 }] }, offset: 100, size: 8 });
    expectFormatError(() => TensorBundle.open(prefix).read('a'), 'tensor "a" at byte offset 100: short read, 0 of 8 bytes');
  });

  it('names a size that does not fit the shape', () => {
    replaceEntry('a', { dtype: 'DT_FLOAT', shape: { dim: [{ size: 3 }] }, size: 8 });
    expectFormatError(() => TensorBundle.open(prefix).read('a'), 'tensor "a" at byte offset 0: size 8 does not fit DT_FLOAT of shape [3] (12 bytes)');
  });

  it.each([['DT_RESOURCE'], ['DT_VARIANT']])('refuses %s entries', (dtype) => {
    replaceEntry('h', { dtype, shape: {}, size: 4 });
    expectFormatError(() => TensorBundle.open(prefix).read('h'), `tensor "h" at byte offset 0: unsupported dtype ${dtype}`);
  });

  it('refuses sliced (partitioned) entries', () => {
    replaceEntry('p', { dtype: 'DT_FLOAT', shape: { dim: [{ size: 4 }] }, slices: [{ extent: [{ start: 0, length: 2 }] }] });
    expectFormatError(() => TensorBundle.open(prefix).read('p'), 'tensor "p" at byte offset 0: partitioned (sliced) variables are not supported');
  });

  it('names an unknown key', () => {
    expectFormatError(() => TensorBundle.open(prefix).read('b'), `${prefix}.index: no tensor named "b"`);
  });
});
