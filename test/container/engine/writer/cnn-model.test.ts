import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoadedModel } from '../../../../container/engine/engine';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { buildLayersCnn, predictLayersCnn } from '../../../../bench/cnn-layers';
import { CNN_SIGNATURE, cnnImages, cnnWeights, writeCnnModel } from '../../../../container/engine/writer/cnn-model';
import { mulberry32 } from '../../../../container/engine/writer/prng';

describe('cnnWeights', () => {
  it('is a pure function of the seed', () => {
    expect(cnnWeights(7)).toEqual(cnnWeights(7));
    expect(cnnWeights(7).conv1Kernel.values).not.toEqual(cnnWeights(8).conv1Kernel.values);
  });

  it('has TensorFlow layouts and positive variances', () => {
    const w = cnnWeights();
    expect(w.conv1Kernel.shape).toEqual([3, 3, 3, 16]);
    expect(w.conv2Kernel.shape).toEqual([3, 3, 16, 32]);
    expect(w.denseKernel.shape).toEqual([32, 10]);
    expect(Math.min(...w.bnMovingVariance.values)).toBeGreaterThanOrEqual(0.5);
  });
});

describe('mulberry32', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(new Set(draws).size).toBe(1000);
  });
});

describe('the written CNN on the PureEngine', () => {
  let dir: string;
  let model: LoadedModel;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-cnn-'));
    writeCnnModel(dir);
    model = await new PureEngine().load(dir); // also selects the engine's tfjs backend, which the layers model shares
  });
  afterAll(() => {
    model?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('declares images → probabilities', () => {
    const signature = model.signatures[CNN_SIGNATURE.key];
    expect(signature.inputs.images).toEqual({ name: 'images:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1, 32, 32, 3] });
    expect(signature.outputs.probabilities).toEqual({ name: 'probabilities:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1, 10] });
  });

  it.each([1, 4])('matches a tfjs-layers rebuild with the same weights within 1e-5 (batch %i)', async (batch) => {
    const images = cnnImages(batch, 100 + batch);
    const { probabilities } = await model.run(CNN_SIGNATURE.key, { images });
    const layers = buildLayersCnn(cnnWeights());
    const expected = predictLayersCnn(layers, images);
    layers.dispose();

    expect(probabilities.shape).toEqual([batch, 10]);
    const actual = probabilities.values as Float32Array;
    const maxDiff = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
    expect(maxDiff).toBeLessThan(1e-5);
    for (let row = 0; row < batch; row++) {
      expect(actual.slice(row * 10, row * 10 + 10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });
});
