import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModelSync } from '@tensorflow/tfjs-converter';
import { FormatError, InvalidArgumentError } from '../../../../container/errors';
import { registerParseExampleOps } from '../../../../container/engine/ops/parse-example';
import { encodeExample, type Example } from '../../../../container/formats/example';
import { exampleFromJson } from '../../../../container/tfs/example-json';
import { parseJson, type JsonValue } from '../../../../container/tfs/json-parse';
import { decodeMessage, protos } from '../../../../container/formats/proto';
import { describeWithFixtures, fixture } from '../../../support/fixtures';

/**
 * Runs the ops through tfjs-converter: tiny graphs in TensorFlow's JSON form, Consts fed from weight data (the
 * converter reads Const values from weightSpecs by node name, never from the node's `value` attr).
 */

const utf8 = (s: string) => new TextEncoder().encode(s);
const TF_DTYPE: Record<string, string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', string: 'DT_STRING' };

type GraphModel = ReturnType<typeof loadGraphModelSync>;

interface NodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

const count = (n: number) => ({ i: String(n) });
const types = (...names: string[]) => ({ list: names.length ? { type: names } : {} });
const shapes = (...dims: number[][]) => ({ list: dims.length ? { shape: dims.map((d) => ({ dim: d.map((size) => ({ size: String(size) })) })) } : {} });
const stringTensor = (values: string[], shape: number[]) => tf.tensor(values.map(utf8), shape, 'string');
const serialized = (...examples: Example[]) => tf.tensor(examples.map(encodeExample), [examples.length], 'string');

async function graphModel(consts: Record<string, tf.Tensor>, nodes: NodeJson[]): Promise<GraphModel> {
  const { data, specs } = await tf.io.encodeWeights(consts);
  const constNodes = Object.entries(consts).map(([name, t]) => ({ name, op: 'Const', attr: { dtype: { type: TF_DTYPE[t.dtype] } } }));
  const placeholder = { name: 'tf_example', op: 'Placeholder', attr: { dtype: { type: 'DT_STRING' } } };
  const modelTopology = { node: [placeholder, ...constNodes, ...nodes], versions: { producer: 1 } };
  return loadGraphModelSync(tf.io.fromMemorySync({ modelTopology, weightSpecs: specs, weightData: data }));
}

/** execute() unwraps a single output; this always gives a list. */
function run(model: GraphModel, input: tf.Tensor, outputs: string[]): tf.Tensor[] {
  return ([] as tf.Tensor[]).concat(model.execute({ tf_example: input }, outputs));
}

const contents = (t: tf.Tensor) => ({ dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync()) });

/** half_plus_three's regress path: x = ParseExample(tf_example)['x'] (required float [1]); y = 0.5·x + 3. */
async function halfPlusThree(parseAttrs: Record<string, unknown>): Promise<GraphModel> {
  return graphModel(
    { names: tf.tensor([], [0], 'string'), key_x: stringTensor(['x'], []), default_x: tf.tensor([], [0]), a: tf.scalar(0.5), b: tf.scalar(3) },
    [
      { name: 'parse', op: 'ParseExample', input: ['tf_example', 'names', 'key_x', 'default_x'], attr: parseAttrs },
      { name: 'mul', op: 'Mul', input: ['parse', 'a'], attr: { T: { type: 'DT_FLOAT' } } },
      { name: 'y', op: 'AddV2', input: ['mul', 'b'], attr: { T: { type: 'DT_FLOAT' } } },
    ],
  );
}

const halfPlusThreeAttrs = {
  Nsparse: count(0),
  Ndense: count(1),
  sparse_types: types(),
  Tdense: types('DT_FLOAT'),
  dense_shapes: shapes([1]),
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerParseExampleOps();
  registerParseExampleOps(); // idempotent
});

describe('ParseExample through tfjs-converter', () => {
  it('serves TF Serving\'s documented regress request {"examples": [{"x": 1.0}, {"x": 2.0}]}', async () => {
    const model = await halfPlusThree(halfPlusThreeAttrs);
    const request = parseJson(new TextEncoder().encode('{"examples": [{"x": 1.0}, {"x": 2.0}]}')) as Map<string, JsonValue[]>;
    const examples = request.get('examples')!.map((json, i) => exampleFromJson(json, i));
    const [y] = run(model, serialized(...examples), ['y']);
    expect(contents(y)).toEqual({ dtype: 'float32', shape: [2, 1], values: [3.5, 4] });
  });

  it('keeps the error class and message when a required feature is missing', async () => {
    const model = await halfPlusThree(halfPlusThreeAttrs);
    const input = serialized({ x: { kind: 'float', values: [1] } }, { z: { kind: 'float', values: [1] } });
    expect(() => run(model, input, ['y'])).toThrow(InvalidArgumentError);
    expect(() => run(model, input, ['y'])).toThrow('Name: <unknown>, Feature: x (data type: float) is required but could not be found.');
  });

  it('explains attrs written with empty repeated fields, which tfjs getAttr misreads', async () => {
    const emptyFields = { s: [], i: [], f: [], b: [], type: [], tensor: [], func: [] };
    const model = await halfPlusThree({
      ...halfPlusThreeAttrs,
      dense_shapes: { list: { ...emptyFields, shape: [{ dim: [{ size: '1' }] }] } },
    });
    expect(() => run(model, serialized({ x: { kind: 'float', values: [1] } }), ['y'])).toThrow(FormatError);
    expect(() => run(model, serialized({ x: { kind: 'float', values: [1] } }), ['y'])).toThrow(
      /ParseExample: attr dense_shapes is \[\], expected 1 entries/,
    );
  });

  it('returns sparse indices, values, shapes, then dense values, with binary bytes intact', async () => {
    const model = await graphModel(
      {
        names: tf.tensor([], [0], 'string'),
        key_tags: stringTensor(['tags'], []),
        key_count: stringTensor(['count'], []),
        key_blob: stringTensor(['blob'], []),
        default_count: tf.tensor([-1], [1], 'int32'),
        default_blob: tf.tensor([], [0], 'string'),
      },
      [
        {
          name: 'parse',
          op: 'ParseExample',
          input: ['tf_example', 'names', 'key_tags', 'key_count', 'key_blob', 'default_count', 'default_blob'],
          attr: {
            Nsparse: count(1),
            Ndense: count(2),
            sparse_types: types('DT_STRING'),
            Tdense: types('DT_INT64', 'DT_STRING'),
            dense_shapes: shapes([1], []),
          },
        },
      ],
    );
    const blob = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    const input = serialized(
      { tags: { kind: 'bytes', values: [utf8('a'), utf8('b')] }, count: { kind: 'int64', values: [7n] }, blob: { kind: 'bytes', values: [blob] } },
      { blob: { kind: 'bytes', values: [utf8('plain')] } },
    );
    const [indices, values, shape, countOut, blobOut] = run(model, input, ['parse:0', 'parse:1', 'parse:2', 'parse:3', 'parse:4']);
    expect(contents(indices)).toEqual({ dtype: 'int32', shape: [2, 2], values: [0, 0, 0, 1] });
    expect(tf.engine().readSync(values.dataId)).toEqual([utf8('a'), utf8('b')]);
    expect(contents(shape)).toEqual({ dtype: 'int32', shape: [2], values: [2, 2] });
    expect(contents(countOut)).toEqual({ dtype: 'int32', shape: [2, 1], values: [7, -1] });
    expect(blobOut.shape).toEqual([2]);
    expect(tf.engine().readSync(blobOut.dataId)).toEqual([blob, utf8('plain')]);
  });
});

describe('ParseExampleV2 through tfjs-converter', () => {
  async function v2Model(): Promise<GraphModel> {
    return graphModel(
      {
        names: tf.tensor([], [0], 'string'),
        sparse_keys: stringTensor(['s'], [1]),
        dense_keys: stringTensor(['x'], [1]),
        ragged_keys: stringTensor(['r'], [1]),
        default_x: tf.tensor([0, 0], [2]),
      },
      [
        {
          name: 'parse',
          op: 'ParseExampleV2',
          input: ['tf_example', 'names', 'sparse_keys', 'dense_keys', 'ragged_keys', 'default_x'],
          attr: {
            Tdense: types('DT_FLOAT'),
            num_sparse: count(1),
            sparse_types: types('DT_INT64'),
            ragged_value_types: types('DT_FLOAT'),
            ragged_split_types: types('DT_INT64'),
            dense_shapes: shapes([2]),
          },
        },
      ],
    );
  }

  it('returns sparse, dense, ragged values and ragged row splits in TensorFlow\'s order', async () => {
    const model = await v2Model();
    const input = serialized(
      { s: { kind: 'int64', values: [4n] }, x: { kind: 'float', values: [1.5, 2.5] }, r: { kind: 'float', values: [0.25] } },
      { r: { kind: 'float', values: [1, 2] } },
    );
    const outputs = run(model, input, ['parse:0', 'parse:1', 'parse:2', 'parse:3', 'parse:4', 'parse:5']).map(contents);
    expect(outputs).toEqual([
      { dtype: 'int32', shape: [1, 2], values: [0, 0] },
      { dtype: 'int32', shape: [1], values: [4] },
      { dtype: 'int32', shape: [2], values: [2, 1] },
      { dtype: 'float32', shape: [2, 2], values: [1.5, 2.5, 0, 0] },
      { dtype: 'float32', shape: [3], values: [0.25, 1, 2] },
      { dtype: 'int32', shape: [3], values: [0, 1, 3] },
    ]);
  });

  it('reports a wrong feature kind naming the example index and key', async () => {
    const model = await v2Model();
    const input = serialized({}, { x: { kind: 'bytes', values: [utf8('1'), utf8('2')] } });
    expect(() => run(model, input, ['parse:3'])).toThrow(
      new InvalidArgumentError("Name: <unknown>, Key: x, Index: 1.  Data types don't match. Data type: string but expected type: float"),
    );
  });
});

describeWithFixtures('ParseExample with the attrs of a TensorFlow-written graph', () => {
  /** tfjs's JSON form leaves out empty repeated fields; the plain-object view of proto.ts keeps them as []. */
  const withoutEmptyLists = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value, (_key, v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v)));

  it('runs half_plus_three\'s own ParseExample node attrs', async () => {
    interface Node {
      name: string;
      op: string;
      attr: Record<string, unknown>;
    }
    const savedModel = decodeMessage<{ metaGraphs: { graphDef: { node: Node[] } }[] }>(
      protos.SavedModel,
      fs.readFileSync(path.join(fixture('half_plus_three', '00000123'), 'saved_model.pb')),
      'half_plus_three saved_model.pb',
    );
    const parseNode = savedModel.metaGraphs[0].graphDef.node.find((n) => n.op === 'ParseExample');
    const { _output_shapes: _ignored, ...attrs } = withoutEmptyLists(parseNode?.attr) as Record<string, unknown>;
    const model = await halfPlusThree(attrs);
    const examples = [1, 2, 5].map((x) => ({ x: { kind: 'float', values: [x] } }) as Example);
    const [y] = run(model, serialized(...examples), ['y']);
    expect(contents(y)).toEqual({ dtype: 'float32', shape: [3, 1], values: [3.5, 4, 5.5] });
  });
});
