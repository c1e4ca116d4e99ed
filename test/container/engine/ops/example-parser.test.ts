import { FormatError, InvalidArgumentError, UnsupportedModelError } from '../../../../container/errors';
import {
  parseExamples,
  type DenseFeatureSpec,
  type ExampleParserSpec,
  type FeatureDType,
} from '../../../../container/engine/ops/example-parser';
import { encodeExample, type Example } from '../../../../container/formats/example';
import { makeTensor } from '../../../../container/formats/tensor';

const utf8 = (s: string) => new TextEncoder().encode(s);
const serialize = (...examples: Example[]) => examples.map(encodeExample);

function dense(key: string, dtype: FeatureDType, shape: number[], defaults: number[] | string[] = []): DenseFeatureSpec {
  const values =
    dtype === 'string'
      ? (defaults as string[]).map(utf8)
      : dtype === 'int32'
        ? Int32Array.from(defaults as number[])
        : Float32Array.from(defaults as number[]);
  return { key, dtype, shape, defaultValue: makeTensor(dtype, [defaults.length], values) };
}

const spec = (parts: Partial<ExampleParserSpec>): ExampleParserSpec => ({ sparse: [], dense: [], ragged: [], ...parts });

describe('parseExamples: dense features', () => {
  it('stacks float, int64 and bytes features along the batch', () => {
    const serialized = serialize(
      { x: { kind: 'float', values: [1.5, 2] }, n: { kind: 'int64', values: [-7n] }, s: { kind: 'bytes', values: [utf8('a')] } },
      { x: { kind: 'float', values: [3, 4] }, n: { kind: 'int64', values: [2n ** 31n - 1n] }, s: { kind: 'bytes', values: [new Uint8Array([0xff])] } },
    );
    const parsed = parseExamples(
      serialized,
      spec({ dense: [dense('x', 'float32', [2]), dense('n', 'int32', [1]), dense('s', 'string', [])] }),
    );
    expect(parsed.dense).toEqual([
      { dtype: 'float32', shape: [2, 2], values: Float32Array.from([1.5, 2, 3, 4]) },
      { dtype: 'int32', shape: [2, 1], values: Int32Array.from([-7, 2147483647]) },
      { dtype: 'string', shape: [2], values: [utf8('a'), new Uint8Array([0xff])] },
    ]);
  });

  it('uses the default when the feature is missing', () => {
    const serialized = serialize({ x: { kind: 'float', values: [5, 6] } }, {});
    const parsed = parseExamples(serialized, spec({ dense: [dense('x', 'float32', [2], [-1, -2])] }));
    expect(parsed.dense[0]).toEqual({ dtype: 'float32', shape: [2, 2], values: Float32Array.from([5, 6, -1, -2]) });
  });

  it('converts an int64_list given for a float feature (JSON requests cannot say 1.0)', () => {
    const parsed = parseExamples(serialize({ x: { kind: 'int64', values: [1n] } }), spec({ dense: [dense('x', 'float32', [1])] }));
    expect(parsed.dense[0].values).toEqual(Float32Array.from([1]));
  });

  it('pads a variable-length feature to the longest example with the default', () => {
    const serialized = serialize({ v: { kind: 'int64', values: [1n, 2n, 3n, 4n] } }, { v: { kind: 'int64', values: [5n, 6n] } }, {});
    const parsed = parseExamples(serialized, spec({ dense: [dense('v', 'int32', [-1, 2], [9])] }));
    expect(parsed.dense[0]).toEqual({ dtype: 'int32', shape: [3, 2, 2], values: Int32Array.from([1, 2, 3, 4, 5, 6, 9, 9, 9, 9, 9, 9]) });
  });

  it('drops the batch dimension for a scalar serialized input', () => {
    const parsed = parseExamples(serialize({ x: { kind: 'float', values: [7] } }), spec({ dense: [dense('x', 'float32', [1])] }), {
      scalar: true,
    });
    expect(parsed.dense[0]).toEqual({ dtype: 'float32', shape: [1], values: Float32Array.from([7]) });
  });

  it('reports a missing required feature with its name and type', () => {
    const serialized = serialize({ x: { kind: 'float', values: [1] } }, {});
    expect(() => parseExamples(serialized, spec({ dense: [dense('x', 'float32', [1])] }))).toThrow(
      new InvalidArgumentError('Name: <unknown>, Feature: x (data type: float) is required but could not be found.'),
    );
  });

  it('reports a feature of the wrong kind, naming the example index and key', () => {
    const serialized = serialize({ x: { kind: 'float', values: [1] } }, { x: { kind: 'bytes', values: [utf8('1')] } });
    expect(() => parseExamples(serialized, spec({ dense: [dense('x', 'float32', [1])] }), { names: ['first', 'second'] })).toThrow(
      new InvalidArgumentError("Name: second, Key: x, Index: 1.  Data types don't match. Data type: string but expected type: float"),
    );
  });

  it('refuses a float_list for an int64 feature', () => {
    expect(() => parseExamples(serialize({ n: { kind: 'float', values: [1] } }), spec({ dense: [dense('n', 'int32', [1])] }))).toThrow(
      "Name: <unknown>, Key: n, Index: 0.  Data types don't match. Data type: float but expected type: int64",
    );
  });

  it('reports a value count that does not fill the shape', () => {
    expect(() => parseExamples(serialize({ x: { kind: 'float', values: [1, 2, 3] } }), spec({ dense: [dense('x', 'float32', [2])] }))).toThrow(
      'Name: <unknown>, Key: x, Index: 0.  Number of float values != expected.  Values size: 3 but output shape: [2]',
    );
  });

  it('refuses int64 values that int32 cannot hold rather than wrapping them', () => {
    expect(() => parseExamples(serialize({}, { n: { kind: 'int64', values: [2n ** 31n] } }), spec({ dense: [dense('n', 'int32', [1], [0])] }))).toThrow(
      'Name: <unknown>, Key: n, Index: 1.  int64 value 2147483648 does not fit in int32, which tfjs uses for int64.',
    );
  });

  it('reports bytes that are not an Example with the example index', () => {
    const garbage = new Uint8Array([0x0a, 0x05, 0x01]);
    expect(() => parseExamples([encodeExample({}), garbage], spec({ dense: [dense('x', 'float32', [1], [0])] }))).toThrow(
      /^Name: <unknown>, Index: 1\.  Can't parse serialized Example: serialized\[1\]: not a valid Example protobuf/,
    );
  });

  it('rejects a default whose size does not match the shape as a model error', () => {
    expect(() => parseExamples(serialize({}), spec({ dense: [dense('x', 'float32', [3], [1, 2])] }))).toThrow(
      new FormatError('ParseExample: dense_defaults for x has 2 values but shape [3] needs 3'),
    );
  });
});

describe('parseExamples: sparse and ragged features', () => {
  const serialized = serialize(
    { s: { kind: 'int64', values: [10n, 11n] } },
    {},
    { s: { kind: 'int64', values: [12n, 13n, 14n] } },
  );

  it('produces indices, values and dense shape', () => {
    const [sparse] = parseExamples(serialized, spec({ sparse: [{ key: 's', dtype: 'int32' }] })).sparse;
    expect(sparse.indices).toEqual({ dtype: 'int32', shape: [5, 2], values: Int32Array.from([0, 0, 0, 1, 2, 0, 2, 1, 2, 2]) });
    expect(sparse.values).toEqual({ dtype: 'int32', shape: [5], values: Int32Array.from([10, 11, 12, 13, 14]) });
    expect(sparse.denseShape).toEqual({ dtype: 'int32', shape: [2], values: Int32Array.from([3, 3]) });
  });

  it('gives an empty sparse tensor when no example has the feature', () => {
    const [sparse] = parseExamples(serialize({}, {}), spec({ sparse: [{ key: 'w', dtype: 'string' }] })).sparse;
    expect(sparse.indices).toEqual({ dtype: 'int32', shape: [0, 2], values: new Int32Array(0) });
    expect(sparse.values).toEqual({ dtype: 'string', shape: [0], values: [] });
    expect(sparse.denseShape.values).toEqual(Int32Array.from([2, 0]));
  });

  it('uses rank-1 indices for a scalar serialized input', () => {
    const [sparse] = parseExamples(serialize({ s: { kind: 'float', values: [0.5, 1.5] } }), spec({ sparse: [{ key: 's', dtype: 'float32' }] }), {
      scalar: true,
    }).sparse;
    expect(sparse.indices).toEqual({ dtype: 'int32', shape: [2, 1], values: Int32Array.from([0, 1]) });
    expect(sparse.denseShape.values).toEqual(Int32Array.from([2]));
  });

  it('reports a sparse feature of the wrong kind', () => {
    expect(() => parseExamples(serialized, spec({ sparse: [{ key: 's', dtype: 'string' }] }))).toThrow(
      "Name: <unknown>, Key: s, Index: 0.  Data types don't match. Data type: int64 but expected type: string",
    );
  });

  it('produces ragged values and row splits', () => {
    const [ragged] = parseExamples(serialized, spec({ ragged: [{ key: 's', dtype: 'int32' }] })).ragged;
    expect(ragged.values.values).toEqual(Int32Array.from([10, 11, 12, 13, 14]));
    expect(ragged.rowSplits).toEqual({ dtype: 'int32', shape: [4], values: Int32Array.from([0, 2, 2, 5]) });
  });

  it('refuses ragged features of a scalar input', () => {
    expect(() => parseExamples(serialize({}), spec({ ragged: [{ key: 's', dtype: 'int32' }] }), { scalar: true })).toThrow(
      UnsupportedModelError,
    );
  });
});
