import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MetaGraphObject, NodeDef } from '../../../../container/engine/graph/types';
import { cnnModel } from '../../../../container/engine/writer/cnn-model';
import { GraphBuilder } from '../../../../container/engine/writer/graph-builder';
import { HALF_PLUS_TWO, linearModel, writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { writerOpDef } from '../../../../container/engine/writer/op-defs';
import { encodeSavedModel, writeSavedModel } from '../../../../container/engine/writer/saved-model-writer';
import { decodeMessage, protos } from '../../../../container/formats/proto';
import { TensorBundle } from '../../../../container/formats/tensor-bundle';
import { tensorFromProto } from '../../../../container/formats/tensor-proto';
import { makeTensor } from '../../../../container/formats/tensor';
import { describeWithFixtures, fixture } from '../../../support/fixtures';

interface SavedModelObject {
  savedModelSchemaVersion?: string;
  metaGraphs: Array<MetaGraphObject & { saverDef?: Record<string, unknown>; metaInfoDef?: Record<string, unknown> }>;
}

const decode = (bytes: Uint8Array, what = 'saved_model.pb') => decodeMessage<SavedModelObject>(protos.SavedModel, bytes, what);
const text = (bytes: Uint8Array[]) => bytes.map((b) => new TextDecoder().decode(b));

function nodeMap(bytes: Uint8Array): Map<string, NodeDef> {
  return new Map((decode(bytes).metaGraphs[0].graphDef?.node ?? []).map((n) => [n.name, n]));
}

const linear = encodeSavedModel(linearModel());
const [linearMeta] = decode(linear.savedModel).metaGraphs;

describe('encodeSavedModel (linear model)', () => {
  it('writes one serve-tagged MetaGraph with TF 2.14 versions and no stripped attrs', () => {
    const model = decode(linear.savedModel);
    expect(model.savedModelSchemaVersion).toBe('1');
    expect(model.metaGraphs).toHaveLength(1);
    expect(linearMeta.metaInfoDef).toMatchObject({
      tags: ['serve'],
      tensorflowVersion: '2.14.0',
      tensorflowGitVersion: 'tfserve-savedmodel-writer',
    });
    expect(linearMeta.metaInfoDef?.strippedDefaultAttrs).toBeUndefined(); // false, which proto3 leaves out
    expect(linearMeta.graphDef?.versions).toEqual({ producer: 1569, minConsumer: 12, badConsumers: [] });
  });

  it('lists exactly the OpDefs of the ops in the graph, sorted', () => {
    const ops = (linearMeta.metaInfoDef?.strippedOpList as { op: Array<{ name: string }> }).op.map((op) => op.name);
    expect(ops).toEqual(['Add', 'Assign', 'Const', 'Identity', 'Mul', 'NoOp', 'ParseExample', 'Placeholder', 'RestoreV2', 'SaveV2', 'VariableV2']);
    const used = [...new Set((linearMeta.graphDef?.node ?? []).map((n) => n.op))].sort();
    expect(used).toEqual(ops);
  });

  it('gives every node every attr of its OpDef', () => {
    for (const node of linearMeta.graphDef?.node ?? []) {
      const declared = (writerOpDef(node.op)?.attr ?? []).map((a) => a.name);
      const written = Object.keys(node.attr ?? {}).filter((a) => !a.startsWith('_'));
      expect([node.name, written.sort()]).toEqual([node.name, [...declared].sort()]);
    }
  });

  it('has the signatures of half_plus_three and half_plus_two_2_versions', () => {
    const summary = Object.fromEntries(
      Object.entries(linearMeta.signatureDef ?? {}).map(([key, s]) => [
        key,
        [s.methodName, Object.entries(s.inputs ?? {}).map(([k, t]) => `${k}=${t.name}:${t.dtype}`), Object.entries(s.outputs ?? {}).map(([k, t]) => `${k}=${t.name}`)],
      ]),
    );
    expect(summary).toEqual({
      classify_x2_to_y3: ['tensorflow/serving/classify', ['inputs=x2:0:DT_FLOAT'], ['scores=y3:0']],
      classify_x_to_y: ['tensorflow/serving/classify', ['inputs=tf_example:0:DT_STRING'], ['scores=y:0']],
      regress_x2_to_y3: ['tensorflow/serving/regress', ['inputs=x2:0:DT_FLOAT'], ['outputs=y3:0']],
      regress_x_to_y: ['tensorflow/serving/regress', ['inputs=tf_example:0:DT_STRING'], ['outputs=y:0']],
      regress_x_to_y2: ['tensorflow/serving/regress', ['inputs=tf_example:0:DT_STRING'], ['outputs=y2:0']],
      serving_default: ['tensorflow/serving/predict', ['x=x:0:DT_FLOAT'], ['y=y:0']],
      'tensorflow/serving/classify': ['tensorflow/serving/classify', ['inputs=tf_example:0:DT_STRING'], ['scores=y:0']],
      'tensorflow/serving/regress': ['tensorflow/serving/regress', ['inputs=tf_example:0:DT_STRING'], ['outputs=y:0']],
    });
    expect(linearMeta.signatureDef?.serving_default.inputs?.x.tensorShape).toEqual({ dim: [], unknownRank: true });
  });

  it('writes a TF1 Saver whose restore_all leads through Assign to RestoreV2 tensor names', () => {
    expect(linearMeta.saverDef).toEqual({
      filenameTensorName: 'save/Const:0',
      saveTensorName: 'save/control_dependency:0',
      restoreOpName: 'save/restore_all',
      maxToKeep: 5,
      keepCheckpointEveryNHours: 10000,
      version: 2,
    });
    const nodes = nodeMap(linear.savedModel);
    const restoreAll = nodes.get('save/restore_all')!;
    expect(restoreAll.input).toEqual(['^save/Assign', '^save/Assign_1', '^save/Assign_2']);
    expect(restoreAll.input!.map((i) => nodes.get(i.slice(1))!.input)).toEqual([
      ['a', 'save/RestoreV2'],
      ['b', 'save/RestoreV2:1'],
      ['c', 'save/RestoreV2:2'],
    ]);
    const restore = nodes.get('save/RestoreV2')!;
    expect(restore.input).toEqual(['save/Const', 'save/RestoreV2/tensor_names', 'save/RestoreV2/shape_and_slices']);
    expect(restore.attr?.dtypes).toEqual({ list: { s: [], i: [], f: [], b: [], type: ['DT_FLOAT', 'DT_FLOAT', 'DT_FLOAT'], shape: [], tensor: [], func: [] } });
    const names = tensorFromProto(nodes.get('save/RestoreV2/tensor_names')!.attr!.value.tensor!, 'tensor_names');
    expect(text(names.values as Uint8Array[])).toEqual(['a', 'b', 'c']);
    const slices = tensorFromProto(nodes.get('save/RestoreV2/shape_and_slices')!.attr!.value.tensor!, 'shape_and_slices');
    expect(text(slices.values as Uint8Array[])).toEqual(['', '', '']);
    expect(nodes.get('save/SaveV2')!.input).toEqual(['save/Const', 'save/SaveV2/tensor_names', 'save/SaveV2/shape_and_slices', 'a', 'b', 'c']);
    expect(nodes.get('save/control_dependency')!.input).toEqual(['save/Const', '^save/SaveV2']);
  });

  it('returns the variables for the checkpoint and leaves the spec reusable', () => {
    expect(linear.variables).toEqual({
      a: makeTensor('float32', [], Float32Array.of(0.5)),
      b: makeTensor('float32', [], Float32Array.of(3)),
      c: makeTensor('float32', [], Float32Array.of(3)),
    });
    const spec = linearModel(HALF_PLUS_TWO);
    expect(Buffer.from(encodeSavedModel(spec).savedModel)).toEqual(Buffer.from(encodeSavedModel(spec).savedModel));
    expect(spec.graph.has('save/Const')).toBe(false);
  });

  it('refuses a signature naming a tensor the graph does not have', () => {
    const g = new GraphBuilder();
    g.placeholder('x', 'float32');
    const spec = { graph: g, signatures: { s: { methodName: 'tensorflow/serving/predict', inputs: { x: { name: 'x:0', dtype: 'float32' as const } }, outputs: { y: { name: 'y:0', dtype: 'float32' as const } } } } };
    expect(() => encodeSavedModel(spec)).toThrow("signature 's': 'y' refers to 'y:0', but the graph has no node 'y'");
  });
});

describe('encodeSavedModel (CNN)', () => {
  const nodes = nodeMap(encodeSavedModel(cnnModel()).savedModel);

  it('writes the batch-norm epsilon explicitly and runs it in inference mode', () => {
    const bn = nodes.get('batch_norm/FusedBatchNormV3')!;
    expect(bn.attr?.epsilon).toEqual({ f: Math.fround(0.001) });
    expect(bn.attr?.is_training).toEqual({ b: false });
    expect(bn.input).toEqual(['conv2/BiasAdd', 'batch_norm/gamma/read', 'batch_norm/beta/read', 'batch_norm/moving_mean/read', 'batch_norm/moving_variance/read']);
  });

  it('declares the image and probability shapes', () => {
    expect(nodes.get('images')!.attr?.shape).toEqual({ shape: { dim: [{ size: '-1' }, { size: '32' }, { size: '32' }, { size: '3' }] } });
    expect(nodes.get('probabilities')!.op).toBe('Softmax');
  });
});

describe('writeSavedModel', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-writer-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes saved_model.pb and a checkpoint that TensorBundle reads back', () => {
    writeLinearModel(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['saved_model.pb', 'variables']);
    expect(fs.readdirSync(path.join(dir, 'variables')).sort()).toEqual(['variables.data-00000-of-00001', 'variables.index']);
    expect(Buffer.from(fs.readFileSync(path.join(dir, 'saved_model.pb')))).toEqual(Buffer.from(linear.savedModel));
    const bundle = TensorBundle.open(path.join(dir, 'variables', 'variables'));
    expect(bundle.keys()).toEqual(['a', 'b', 'c']);
    expect(bundle.read('a')).toEqual(makeTensor('float32', [], Float32Array.of(0.5)));
    expect(bundle.read('b')).toEqual(makeTensor('float32', [], Float32Array.of(3)));
  });

  it('writes the CNN weights under their variable names', () => {
    const spec = cnnModel();
    writeSavedModel(dir, spec);
    const bundle = TensorBundle.open(path.join(dir, 'variables', 'variables'));
    for (const { name, value } of spec.graph.variables) expect([name, bundle.read(name)]).toEqual([name, value]);
    expect(bundle.keys()).toHaveLength(10);
  });

  it('writes no saver and no checkpoint for a graph without variables', () => {
    const g = new GraphBuilder();
    g.identity('y', g.placeholder('x', 'float32'), 'float32');
    writeSavedModel(dir, { graph: g, signatures: {} });
    expect(fs.readdirSync(path.join(dir, 'variables'))).toEqual([]);
    expect(decode(fs.readFileSync(path.join(dir, 'saved_model.pb'))).metaGraphs[0].saverDef).toBeUndefined();
  });
});

describeWithFixtures('the writer against TensorFlow 1.x half_plus_three', () => {
  const withoutShapes = (node: NodeDef) => {
    const { _output_shapes: _, ...attr } = node.attr ?? {};
    return { ...node, attr };
  };

  it('writes the variable and arithmetic nodes exactly as TensorFlow did', () => {
    const tfPath = path.join(fixture('half_plus_three', '00000123'), 'saved_model.pb');
    const theirs = nodeMap(fs.readFileSync(tfPath));
    const ours = nodeMap(linear.savedModel);
    for (const name of ['a', 'a/Assign', 'a/read', 'b/read', 'Mul', 'y', 'x', 'save/Assign']) {
      expect(withoutShapes(ours.get(name)!)).toEqual(withoutShapes(theirs.get(name)!));
    }
  });
});
