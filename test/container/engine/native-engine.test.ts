import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  loadTfjsNode,
  NativeEngine,
  type TfjsNode,
  type TfjsNodeSavedModel,
} from '../../../container/engine/native-engine';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, UnsupportedModelError } from '../../../container/errors';
import { encodeMessage, protos } from '../../../container/formats/proto';
import { makeTensor } from '../../../container/formats/tensor';
import { describeWithFixtures, fixture } from '../../support/fixtures';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** A saved_model.pb holding only the MetaGraphs' tags and signatures: the graph itself is tfjs-node's (stubbed) business. */
function writeSignatureOnlyModel(metaGraphs: object[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-engine-'));
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), encodeMessage(protos.SavedModel, { savedModelSchemaVersion: 1, metaGraphs }));
  return dir;
}

const shape = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size })) });
const tensorInfo = (name: string, dtype: string, tensorShape: object = { unknownRank: true }) => ({ name, dtype, tensorShape });

const servingMetaGraph = {
  metaInfoDef: { tags: ['serve'] },
  signatureDef: {
    serving_default: {
      methodName: 'tensorflow/serving/predict',
      inputs: { x: tensorInfo('serving_default_x:0', 'DT_FLOAT', shape(-1, 1)) },
      outputs: { y: tensorInfo('StatefulPartitionedCall:0', 'DT_FLOAT', shape(-1, 1)) },
    },
    times_two: {
      methodName: 'tensorflow/serving/predict',
      inputs: { a: tensorInfo('times_two_a:0', 'DT_INT64', shape(2)) },
      outputs: { b: tensorInfo('StatefulPartitionedCall_1:0', 'DT_INT64', shape(2)) },
    },
    echo: {
      methodName: 'tensorflow/serving/classify',
      inputs: { s: tensorInfo('echo_s:0', 'DT_STRING') },
      outputs: { s_out: tensorInfo('Identity:0', 'DT_STRING', shape()) },
    },
  },
};

let MODEL_DIR: string;
beforeAll(() => {
  MODEL_DIR = writeSignatureOnlyModel([{ metaInfoDef: { tags: ['serve', 'gpu'] } }, servingMetaGraph]);
});
afterAll(() => fs.rmSync(MODEL_DIR, { recursive: true, force: true }));

type Behaviour = (inputs: tf.NamedTensorMap) => tf.NamedTensorMap;

const behaviours: Record<string, Behaviour> = {
  serving_default: ({ x }) => tf.tidy(() => ({ y: tf.add(tf.mul(x, 0.5), 2) })),
  times_two: ({ a }) => tf.tidy(() => ({ b: tf.mul(a, tf.scalar(2, 'int32')) })),
  echo: ({ s }) => ({ s_out: tf.clone(s) }),
};

/** A fake tfjs-node: real tfjs-core tensors on the cpu backend, with `node` recording what the engine asks of it. */
function stubTfjsNode(overrides: Partial<TfjsNode['node']> = {}) {
  const calls = {
    loadSavedModel: [] as Array<[string, string[] | undefined, string | undefined]>,
    fedDtypes: [] as Array<Record<string, string>>,
    disposed: [] as string[],
  };
  const node: TfjsNode['node'] = {
    loadSavedModel: async (path, tags, signature = 'serving_default'): Promise<TfjsNodeSavedModel> => {
      calls.loadSavedModel.push([path, tags, signature]);
      return {
        predict: (inputs) => {
          const named = inputs as tf.NamedTensorMap;
          calls.fedDtypes.push(Object.fromEntries(Object.entries(named).map(([k, t]) => [k, t.dtype])));
          return behaviours[signature](named);
        },
        dispose: () => calls.disposed.push(signature),
      };
    },
    ...overrides,
  };
  return { tf: { ...tf, node } as TfjsNode, calls };
}

describe('NativeEngine on a stubbed tfjs-node', () => {
  test('reads signatures with the shared saved_model.pb reader and creates the session at load', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    expect(model.engine).toBe('native');
    expect(model.tags).toEqual(['serve']);
    expect(model.signatures).toEqual({
      serving_default: {
        key: 'serving_default',
        methodName: 'tensorflow/serving/predict',
        inputs: { x: { name: 'serving_default_x:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1, 1] } },
        outputs: { y: { name: 'StatefulPartitionedCall:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1, 1] } },
      },
      times_two: {
        key: 'times_two',
        methodName: 'tensorflow/serving/predict',
        inputs: { a: { name: 'times_two_a:0', dtype: 'int64', tfDtype: 'DT_INT64', shape: [2] } },
        outputs: { b: { name: 'StatefulPartitionedCall_1:0', dtype: 'int64', tfDtype: 'DT_INT64', shape: [2] } },
      },
      echo: {
        key: 'echo',
        methodName: 'tensorflow/serving/classify',
        inputs: { s: { name: 'echo_s:0', dtype: 'string', tfDtype: 'DT_STRING', shape: undefined } },
        outputs: { s_out: { name: 'Identity:0', dtype: 'string', tfDtype: 'DT_STRING', shape: [] } },
      },
    });
    expect(calls.loadSavedModel).toEqual([[MODEL_DIR, ['serve'], 'serving_default']]);
    model.dispose();
  });

  test('matches tags in any order and names the tag sets it has when none match', async () => {
    const { tf: stub } = stubTfjsNode();
    const gpu = await new NativeEngine(stub).load(MODEL_DIR, { tags: ['gpu', 'serve'] });
    expect(gpu.tags).toEqual(['gpu', 'serve']);
    expect(gpu.signatures).toEqual({});
    await expect(new NativeEngine(stub).load(MODEL_DIR, { tags: ['serve', 'tpu'] })).rejects.toThrow(
      new NotFoundError(`${MODEL_DIR}/saved_model.pb: no MetaGraph tagged [serve, tpu]; available: [serve, gpu], [serve]`),
    );
  });

  test('runs a float signature, feeding float32 and leaking no tfjs tensors', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const before = tf.memory().numTensors;
    const outputs = await model.run('serving_default', { x: makeTensor('float32', [3, 1], new Float32Array([1, 2, 5])) });
    expect(outputs).toEqual({ y: makeTensor('float32', [3, 1], new Float32Array([2.5, 3, 4.5])) });
    expect(calls.fedDtypes).toEqual([{ x: 'float32' }]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('feeds int64 as int32, returns the declared int64, and loads a signature once, lazily', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const a = makeTensor('int64', [2], new BigInt64Array([3n, -4n]));
    expect(await model.run('times_two', { a })).toEqual({ b: makeTensor('int64', [2], new BigInt64Array([6n, -8n])) });
    await model.run('times_two', { a });
    expect(calls.fedDtypes).toEqual([{ a: 'int32' }, { a: 'int32' }]);
    expect(calls.loadSavedModel.map(([, , signature]) => signature)).toEqual(['serving_default', 'times_two']);
    model.dispose();
  });

  test('rejects an int64 input beyond int32 before running, leaking nothing', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const before = tf.memory().numTensors;
    const a = makeTensor('int64', [2], new BigInt64Array([1n, 3000000000n]));
    await expect(model.run('times_two', { a })).rejects.toThrow(
      new InvalidArgumentError(
        "input 'a': int64 value 3000000000 at index 1 is not an integer in [-2147483648, 2147483647], the int32 range tfjs computes int64 with",
      ),
    );
    expect(calls.fedDtypes).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('passes binary string bytes through unchanged', async () => {
    const { tf: stub } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const s = makeTensor('string', [], [new Uint8Array([0xff, 0x00, 0xfe])]);
    expect(await model.run('echo', { s })).toEqual({ s_out: s });
    model.dispose();
  });

  test('names an unknown signature and the available ones', async () => {
    const { tf: stub } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    await expect(model.run('nope', {})).rejects.toThrow(
      new NotFoundError(`${MODEL_DIR}: signature 'nope' not found; available: echo, serving_default, times_two`),
    );
    model.dispose();
  });

  test('rejects input keys that differ from the signature, as tfjs-node words it', async () => {
    const { tf: stub } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const xyz = makeTensor('float32', [1], new Float32Array([1]));
    await expect(model.run('serving_default', { xyz })).rejects.toThrow(
      new InvalidArgumentError('The model signatureDef input names are x, however the provided input names are xyz.'),
    );
    model.dispose();
  });

  test('dispose() disposes every loaded signature once, and the model refuses to run afterwards', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    await model.run('echo', { s: makeTensor('string', [], [new Uint8Array([1])]) });
    model.dispose();
    model.dispose();
    expect(calls.disposed.sort()).toEqual(['echo', 'serving_default']);
    await expect(model.run('serving_default', { x: makeTensor('float32', [1], new Float32Array([1])) })).rejects.toThrow(
      new FailedPreconditionError(`${MODEL_DIR}: the model has been unloaded`),
    );
  });

  test("surfaces tfjs-node's dtype refusal as a load error", async () => {
    const { tf: stub } = stubTfjsNode({
      loadSavedModel: async () => {
        throw new Error('Unsupported tensor DataType: DT_DOUBLE. Try to modify the model in python to convert the datatype');
      },
    });
    await expect(new NativeEngine(stub).load(MODEL_DIR)).rejects.toThrow(
      new UnsupportedModelError(
        `${MODEL_DIR}: tfjs-node cannot load signature 'serving_default': Unsupported tensor DataType: DT_DOUBLE. Try to modify the model in python to convert the datatype`,
      ),
    );
  });

  test('surfaces a session libtensorflow cannot create (TF >= 2.13 ops) as a load error', async () => {
    const { tf: stub } = stubTfjsNode({
      loadSavedModel: async () => {
        throw new Error("Op type not registered 'DisableCopyOnRead' in binary running on host");
      },
    });
    await expect(new NativeEngine(stub).load(MODEL_DIR)).rejects.toThrow(
      new UnsupportedModelError(
        `${MODEL_DIR}: tfjs-node cannot load signature 'serving_default': Op type not registered 'DisableCopyOnRead' in binary running on host`,
      ),
    );
  });

  test('reports a directory without saved_model.pb before touching tfjs-node', async () => {
    const { tf: stub, calls } = stubTfjsNode();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'native-engine-empty-'));
    try {
      await expect(new NativeEngine(stub).load(empty)).rejects.toThrow(
        new NotFoundError(`${empty}/saved_model.pb: no SavedModel here (saved_model.pb is missing)`),
      );
      expect(calls.loadSavedModel).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('reports an output tfjs-node did not return', async () => {
    const { tf: stub } = stubTfjsNode();
    const model = await new NativeEngine(stub).load(MODEL_DIR);
    const original = behaviours.echo;
    behaviours.echo = () => ({});
    try {
      await expect(model.run('echo', { s: makeTensor('string', [], [new Uint8Array([1])]) })).rejects.toThrow(
        new UnsupportedModelError(`${MODEL_DIR}: tfjs-node returned no tensor for output 's_out' of 'echo'`),
      );
    } finally {
      behaviours.echo = original;
      model.dispose();
    }
  });
});

/** The real binding: present in the Docker image, absent on machines where libtensorflow could not be downloaded. */
const binding = loadTfjsNode();
const bindingMissing = typeof binding === 'string';
if (bindingMissing) console.warn(`skipping native integration tests: ${binding}`);

describe('loadTfjsNode', () => {
  (bindingMissing ? test : test.skip)('explains why the binding is unavailable', () => {
    expect(binding).toMatch(/^tfjs-node binding unavailable: \S/);
  });
});

describeWithFixtures('NativeEngine on the real tfjs-node', () => {
  (bindingMissing ? test.skip : test)('runs times_three_float (TF 2.0) through libtensorflow', async () => {
    const model = await new NativeEngine(binding as TfjsNode).load(fixture('times_three_float'));
    try {
      const outputs = await model.run('serving_default', { x: makeTensor('float32', [], new Float32Array([2])) });
      expect(outputs).toEqual({ output_0: makeTensor('float32', [], new Float32Array([6])) });
    } finally {
      model.dispose();
    }
  });
});
