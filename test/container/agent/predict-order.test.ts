import * as path from 'node:path';
import * as fs from 'node:fs';
import pino from 'pino';
import { AgentModels } from '../../../container/agent/agent-models';
import type { LoadedModel } from '../../../container/engine/engine';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { makeTensor, type NamedTensors } from '../../../container/formats/tensor';
import { float32Bytes, tempDir } from './agent-client';

/** Predicts to one model run one at a time; different models run at the same time. */

describe('Predict ordering', () => {
  it('serializes Predicts per model and overlaps different models', async () => {
    const dir = tempDir('tfserve-agent-order-');
    await writeDemoModels(dir);
    let running = 0;
    let most = 0;
    const perModel = new Map<string, number>();
    let mostPerModel = 0;
    const releases: (() => void)[] = [];
    // A model whose every run waits until the test releases it, counting runs under way.
    const held = (dir: string): LoadedModel => ({
      engine: 'pure',
      tags: ['serve'],
      signatures: {
        serving_default: {
          key: 'serving_default',
          methodName: 'tensorflow/serving/predict',
          inputs: { x: { name: 'x:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1] } },
          outputs: { y: { name: 'y:0', dtype: 'float32', tfDtype: 'DT_FLOAT', shape: [-1] } },
        },
      },
      async run(_key: string, inputs: NamedTensors) {
        running++;
        perModel.set(dir, (perModel.get(dir) ?? 0) + 1);
        most = Math.max(most, running);
        mostPerModel = Math.max(mostPerModel, perModel.get(dir)!);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        perModel.set(dir, perModel.get(dir)! - 1);
        return { y: makeTensor('float32', inputs.x.shape, inputs.x.values as Float32Array) };
      },
      dispose() {},
    });
    const models = new AgentModels({ load: async (d) => held(d), budgetBytes: 1e9, budgetSetting: 'budget', logger: pino({ level: 'silent' }) });
    await models.load('a', path.join(dir, 'half_plus_three'));
    fs.cpSync(path.join(dir, 'half_plus_three'), path.join(dir, 'copy'), { recursive: true });
    await models.load('b', path.join(dir, 'copy'));
    const tensor = { tensor_metadata: { name: Buffer.from('x'), data_type: 'FLOAT32' as const, shape: [1] }, byte_data: float32Bytes([1]) };
    let settled = 0;
    const calls = ['a', 'a', 'a', 'b', 'b', 'b'].map((name) => models.predict(name, [tensor]).finally(() => settled++));
    for (let i = 0; i < 1000 && settled < calls.length; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.splice(0).forEach((release) => release());
    }
    await Promise.all(calls);
    expect(mostPerModel).toBe(1);
    expect(most).toBe(2);
    await models.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
