import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { parseAgentConfig } from '../../../container/agent/agent-config';
import { startAgent, type RunningAgent } from '../../../container/agent/start-agent';
import { loadModel } from '../../../container/engine/select-engine';
import { makeTensor, tensorToBytes, type NamedTensors } from '../../../container/formats/tensor';
import { describeWithFixtures, fixture } from '../../support/fixtures';
import { connect, tempDir, type AgentClient } from './agent-client';

/** Predict on the shared TensorFlow-written SavedModels, checked against the engine's own answers. */

const WIRE: Record<string, string> = { float32: 'FLOAT32', int32: 'INT32', int64: 'INT64' };

const CASES: [string, NamedTensors][] = [
  ['half_plus_two_2_versions', { x: makeTensor('float32', [3, 1], Float32Array.of(1, 2, 5)) }],
  ['half_plus_two_tf2', { x: makeTensor('float32', [1], Float32Array.of(4)) }],
  ['times_two_int', { x: makeTensor('int32', [], Int32Array.of(21)) }],
  ['model_multi_output', { x: makeTensor('int32', [], Int32Array.of(3)), y: makeTensor('int32', [], Int32Array.of(4)) }],
  ['int64_multiply', { x: makeTensor('int64', [2], BigInt64Array.of(5n, -7n)) }],
];

describeWithFixtures('Predict on the shared fixtures', () => {
  let dir: string;
  let agent: RunningAgent;
  let client: AgentClient;

  beforeAll(async () => {
    dir = tempDir('tfserve-agent-fixtures-');
    agent = await startAgent({ address: path.join(dir, 'agent.sock'), config: parseAgentConfig({}, 'test'), logger: pino({ level: 'silent' }) });
    client = connect(agent.target);
  });

  afterAll(async () => {
    client.close();
    await agent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)('%s answers what the engine answers', async (name, inputs) => {
    const url = fixture(name);
    const { model } = await client.LoadModel({ url, name: name.replace(/_/g, '-') });
    const engine = await loadModel(url);
    const expected = await engine.run('serving_default', inputs);
    engine.dispose();
    const tensors = model.input_tensor_metadatas.map(({ name: key }: { name: Buffer }) => {
      const tensor = inputs[key.toString()];
      return { tensor_metadata: { name: key, data_type: WIRE[tensor.dtype], shape: tensor.shape }, byte_data: Buffer.from(tensorToBytes(tensor)) };
    });
    const answer = await client.Predict({ name: model.name, tensors });
    const keys = Object.keys(expected).sort();
    expect(answer.tensors.map((t: { tensor_metadata: { name: Buffer } }) => t.tensor_metadata.name.toString())).toEqual(keys);
    answer.tensors.forEach((t: { tensor_metadata: { data_type: string; shape: number[] }; byte_data: Buffer }, i: number) => {
      const want = expected[keys[i]];
      expect(t.tensor_metadata).toMatchObject({ data_type: WIRE[want.dtype], shape: want.shape });
      expect(Buffer.from(t.byte_data)).toEqual(Buffer.from(tensorToBytes(want)));
    });
    await client.UnLoadModel({ name: model.name });
  });
});
