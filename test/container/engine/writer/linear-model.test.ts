import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadedModel } from '../../../../container/engine/engine';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { HALF_PLUS_TWO, writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { encodeExample } from '../../../../container/formats/example';
import { type Tensor, makeTensor } from '../../../../container/formats/tensor';

const floats = (shape: number[], ...values: number[]) => makeTensor('float32', shape, Float32Array.from(values));
const examples = (...rows: Array<Record<string, number>>): Tensor =>
  makeTensor(
    'string',
    [rows.length],
    rows.map((row) => encodeExample(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { kind: 'float' as const, values: [v] }])))),
  );

describe('the written half_plus_three on the PureEngine', () => {
  let dir: string;
  let model: LoadedModel;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-linear-'));
    writeLinearModel(dir);
    model = await new PureEngine().load(dir);
  });
  afterAll(() => {
    model?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exposes the signatures with their methods', () => {
    expect(model.tags).toEqual(['serve']);
    expect(Object.keys(model.signatures).sort()).toEqual([
      'classify_x2_to_y3',
      'classify_x_to_y',
      'regress_x2_to_y3',
      'regress_x_to_y',
      'regress_x_to_y2',
      'serving_default',
      'tensorflow/serving/classify',
      'tensorflow/serving/regress',
    ]);
    expect(model.signatures.serving_default.inputs.x).toEqual({ name: 'x:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: undefined });
    expect(model.signatures.regress_x_to_y.methodName).toBe('tensorflow/serving/regress');
    expect(model.signatures.classify_x_to_y.inputs.inputs.dtype).toBe('string');
  });

  it('predicts [1, 2, 5] → [3.5, 4, 5.5]', async () => {
    expect(await model.run('serving_default', { x: floats([3], 1, 2, 5) })).toEqual({ y: floats([3], 3.5, 4, 5.5) });
  });

  it('regresses and classifies serialized tf.Examples', async () => {
    const batch = examples({ x: 1 }, { x: 2 });
    expect(await model.run('regress_x_to_y', { inputs: batch })).toEqual({ outputs: floats([2, 1], 3.5, 4) });
    expect(await model.run('tensorflow/serving/regress', { inputs: batch })).toEqual({ outputs: floats([2, 1], 3.5, 4) });
    expect(await model.run('classify_x_to_y', { inputs: batch })).toEqual({ scores: floats([2, 1], 3.5, 4) });
    expect(await model.run('tensorflow/serving/classify', { inputs: examples({ x: 5 }) })).toEqual({ scores: floats([1, 1], 5.5) });
  });

  it('computes y2 = a·x + c from examples and y3 = a·x2 + c from x2', async () => {
    expect(await model.run('regress_x_to_y2', { inputs: examples({ x: 1, x2: 7 }) })).toEqual({ outputs: floats([1, 1], 3.5) });
    expect(await model.run('regress_x2_to_y3', { inputs: floats([3], 1, 2, 5) })).toEqual({ outputs: floats([3], 3.5, 4, 5.5) });
    expect(await model.run('classify_x2_to_y3', { inputs: floats([2, 1], 0, 4) })).toEqual({ scores: floats([2, 1], 3, 5) });
  });
});

describe('the written half_plus_two on the PureEngine', () => {
  it('uses the given constants', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-linear-'));
    try {
      writeLinearModel(dir, HALF_PLUS_TWO);
      const model = await new PureEngine().load(dir);
      expect(await model.run('serving_default', { x: floats([3], 1, 2, 5) })).toEqual({ y: floats([3], 2.5, 3, 4.5) });
      expect(await model.run('regress_x_to_y2', { inputs: examples({ x: 1 }) })).toEqual({ outputs: floats([1, 1], 3.5) });
      model.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
