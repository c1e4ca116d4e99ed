import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import * as tar from 'tar';
import { parseAgentConfig } from '../../../container/agent/agent-config';
import { startAgent, type RunningAgent } from '../../../container/agent/start-agent';
import { loadModel } from '../../../container/engine/select-engine';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { decodeMessage, encodeMessage, protos } from '../../../container/formats/proto';
import { makeTensor } from '../../../container/formats/tensor';
import { connect, float32Bytes, float32Values, refusal, tempDir, type AgentClient } from './agent-client';

/** LoadModel, UnLoadModel, ListModels, DescribeModel and Predict end to end, over a unix socket, on generated models. */

let dir: string;
let agent: RunningAgent;
let client: AgentClient;
let halfPlusThree: string;

beforeAll(async () => {
  dir = tempDir('tfserve-agent-models-');
  await writeDemoModels(path.join(dir, 'models'));
  halfPlusThree = path.join(dir, 'models', 'half_plus_three');
  agent = await startAgent({
    address: path.join(dir, 'agent.sock'),
    config: parseAgentConfig({ tfserve_memory_budget_mb: 1 }, 'test'),
    logger: pino({ level: 'silent' }),
  });
  client = connect(agent.target);
});

afterAll(async () => {
  client.close();
  await agent.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const x = (values: number[], shape = [values.length]) => ({
  tensor_metadata: { name: Buffer.from('x'), data_type: 'FLOAT32', shape },
  byte_data: float32Bytes(values),
});

describe('LoadModel', () => {
  afterEach(async () => {
    const { models } = await client.ListModels({});
    for (const { name } of models) await client.UnLoadModel({ name });
  });

  it('loads a <name>/<version> layout and answers the serving signature as Model metadata', async () => {
    const { model } = await client.LoadModel({ url: halfPlusThree, name: 'half-plus-three' });
    expect(model).toEqual({
      url: halfPlusThree,
      name: 'half-plus-three',
      input_tensor_metadatas: [{ name: Buffer.from('x'), data_type: 'FLOAT32', shape: [] }],
      output_tensor_metadatas: [{ name: Buffer.from('y'), data_type: 'FLOAT32', shape: [] }],
    });
  });

  it('loads a SavedModel directory and a model.tar.gz', async () => {
    await client.LoadModel({ url: path.join(halfPlusThree, '1'), name: 'direct' });
    const archive = path.join(dir, 'model.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: path.join(dir, 'models') }, ['half_plus_three']);
    await client.LoadModel({ url: archive, name: 'archived' });
    const { models } = await client.ListModels({});
    expect(models.map((m: { name: string }) => m.name)).toEqual(['archived', 'direct']);
    const { tensors } = await client.Predict({ name: 'archived', tensors: [x([2])] });
    expect(float32Values(tensors[0].byte_data)).toEqual([4]);
  });

  it('refuses a name already loaded with ALREADY_EXISTS', async () => {
    await client.LoadModel({ url: halfPlusThree, name: 'twice' });
    expect(await refusal(client.LoadModel({ url: halfPlusThree, name: 'twice' }))).toEqual({
      code: 'ALREADY_EXISTS',
      details: 'Model twice is already loaded.',
    });
  });

  it('answers NOT_FOUND when nothing is at the url', async () => {
    const url = path.join(dir, 'nowhere');
    expect(await refusal(client.LoadModel({ url, name: 'm' }))).toEqual({ code: 'NOT_FOUND', details: `nothing at url ${url}` });
  });

  it('answers FAILED_PRECONDITION naming the op for a model the engine cannot run', async () => {
    const broken = path.join(dir, 'broken');
    fs.cpSync(path.join(halfPlusThree, '1'), broken, { recursive: true });
    const file = path.join(broken, 'saved_model.pb');
    const saved = decodeMessage<{ metaGraphs: { graphDef: { node: { name: string; op: string }[] } }[] }>(protos.SavedModel, fs.readFileSync(file), file);
    saved.metaGraphs[0].graphDef.node.find((n) => n.name === 'Mul')!.op = 'FancyMul';
    fs.writeFileSync(file, encodeMessage(protos.SavedModel, saved));
    const answer = await refusal(client.LoadModel({ url: broken, name: 'broken' }));
    expect(answer.code).toBe('FAILED_PRECONDITION');
    expect(answer.details).toContain(`op 'FancyMul' (node 'Mul')`);
    expect((await client.ListModels({})).models).toEqual([]);
  });

  it('answers FAILED_PRECONDITION for a directory or file that holds no model, and for a corrupt archive', async () => {
    const empty = tempDir('tfserve-agent-empty-');
    expect((await refusal(client.LoadModel({ url: empty, name: 'm' }))).code).toBe('FAILED_PRECONDITION');
    const corrupt = path.join(empty, 'model.tar.gz');
    fs.writeFileSync(corrupt, 'not a tar');
    const answer = await refusal(client.LoadModel({ url: corrupt, name: 'm' }));
    expect(answer.code).toBe('FAILED_PRECONDITION');
    expect(answer.details).toContain(`cannot unpack ${corrupt}`);
    fs.rmSync(empty, { recursive: true });
  });

  it('answers RESOURCE_EXHAUSTED over the memory budget, naming the budget setting', async () => {
    const big = path.join(dir, 'big');
    fs.cpSync(path.join(halfPlusThree, '1'), big, { recursive: true });
    fs.writeFileSync(path.join(big, 'variables', 'padding'), Buffer.alloc(1024 * 1024)); // counted as weights
    const answer = await refusal(client.LoadModel({ url: big, name: 'big' }));
    expect(answer.code).toBe('RESOURCE_EXHAUSTED');
    expect(answer.details).toMatch(/^Memory exhausted: model big needs 1\.\d\d MB of weights, .* budget \(tfserve_memory_budget_mb\)/);
  });

  it('answers INVALID_ARGUMENT for a name outside ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$', async () => {
    for (const name of ['', '-a', 'a-', 'a_b', 'a/b']) {
      expect((await refusal(client.LoadModel({ url: halfPlusThree, name }))).code).toBe('INVALID_ARGUMENT');
    }
    await client.LoadModel({ url: halfPlusThree, name: 'a--b9' });
  });
});

describe('ListModels, DescribeModel, UnLoadModel', () => {
  it('lists by name, describes, and unloads; NOT_FOUND for models not loaded', async () => {
    expect(await client.ListModels({})).toEqual({ models: [] });
    await client.LoadModel({ url: halfPlusThree, name: 'b' });
    await client.LoadModel({ url: halfPlusThree, name: 'a' });
    expect((await client.ListModels({})).models.map((m: { name: string }) => m.name)).toEqual(['a', 'b']);
    expect((await client.DescribeModel({ name: 'b' })).model).toMatchObject({ name: 'b', url: halfPlusThree });
    expect(await client.UnLoadModel({ name: 'b' })).toEqual({});
    expect(await refusal(client.DescribeModel({ name: 'b' }))).toEqual({ code: 'NOT_FOUND', details: 'model b is not loaded' });
    expect(await refusal(client.UnLoadModel({ name: 'b' }))).toEqual({ code: 'NOT_FOUND', details: 'model b is not loaded' });
    await client.UnLoadModel({ name: 'a' });
    expect(await client.ListModels({})).toEqual({ models: [] });
  });

  it('waits for the Predicts in flight before freeing the model', async () => {
    await client.LoadModel({ url: halfPlusThree, name: 'busy' });
    const predicts = Array.from({ length: 20 }, (_, i) => client.Predict({ name: 'busy', tensors: [x([i])] }));
    const unloaded = client.UnLoadModel({ name: 'busy' });
    const answers = await Promise.all(predicts);
    expect(answers.map(({ tensors }) => float32Values(tensors[0].byte_data)[0])).toEqual(Array.from({ length: 20 }, (_, i) => i / 2 + 3));
    await unloaded;
    expect((await refusal(client.Predict({ name: 'busy', tensors: [x([1])] }))).code).toBe('NOT_FOUND');
  });
});

describe('Predict', () => {
  beforeAll(() => client.LoadModel({ url: halfPlusThree, name: 'hp3' }));
  afterAll(() => client.UnLoadModel({ name: 'hp3' }));

  it("answers the engine's own result as little-endian byte_data with the output's metadata", async () => {
    const values = [1, 2, 5, -0.25, 1e6];
    const engine = await loadModel(path.join(halfPlusThree, '1'));
    const expected = (await engine.run('serving_default', { x: makeTensor('float32', [5, 1], Float32Array.from(values)) })).y;
    engine.dispose();
    const { tensors } = await client.Predict({ name: 'hp3', tensors: [x(values, [5, 1])] });
    expect(tensors).toHaveLength(1);
    expect(tensors[0].tensor_metadata).toEqual({ name: Buffer.from('y'), data_type: 'FLOAT32', shape: [5, 1] });
    expect(tensors[0].data).toBe('byte_data');
    expect(Buffer.from(tensors[0].byte_data)).toEqual(Buffer.from((expected.values as Float32Array).buffer));
  });

  it('matches tensors by graph tensor name as well as by key', async () => {
    const tensor = { ...x([4]), tensor_metadata: { name: Buffer.from('x:0'), data_type: 'FLOAT32', shape: [1] } };
    expect(float32Values((await client.Predict({ name: 'hp3', tensors: [tensor] })).tensors[0].byte_data)).toEqual([5]);
  });

  it('answers NOT_FOUND for a model not loaded', async () => {
    expect(await refusal(client.Predict({ name: 'nope', tensors: [x([1])] }))).toEqual({ code: 'NOT_FOUND', details: 'model nope is not loaded' });
  });

  it('answers INVALID_ARGUMENT naming the tensor, the expected and the actual dtype and shape', async () => {
    const int32 = { tensor_metadata: { name: Buffer.from('x'), data_type: 'INT32', shape: [2] }, byte_data: Buffer.alloc(8) };
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [int32] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: `input tensor 'x': expected FLOAT32 [unknown rank], got INT32 [2]`,
    });
    const short = { ...x([1, 2]), tensor_metadata: { name: Buffer.from('x'), data_type: 'FLOAT32', shape: [3] } };
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [short] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: `input tensor 'x': FLOAT32 [3] needs 12 bytes of byte_data, got 8`,
    });
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [{ byte_data: float32Bytes([1]) }] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: `input tensor 'x': expected FLOAT32 [unknown rank], which leaves the shape open: send tensor_metadata with the shape`,
    });
    const unknown = { ...x([1]), tensor_metadata: { name: Buffer.from('z'), data_type: 'FLOAT32', shape: [1] } };
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [unknown] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: `model hp3 has no input tensor named 'z' (its inputs: x)`,
    });
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [] }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: 'model hp3 takes 1 input tensor(s) (x), got 0',
    });
  });

  it('answers UNIMPLEMENTED for a shared-memory tensor', async () => {
    const tensor = { tensor_metadata: x([1]).tensor_metadata, shared_memory_handle: { size: 4, offset: 0, segment_id: 7 } };
    expect(await refusal(client.Predict({ name: 'hp3', tensors: [tensor] }))).toEqual({
      code: 'UNIMPLEMENTED',
      details: "input tensor 'x': shared_memory_handle is not supported by tfserve agent; send the tensor as byte_data (little-endian, row-major)",
    });
  });

  it('carries a 16 MiB tensor (message limits raised)', async () => {
    const values = Array.from({ length: 4 * 1024 * 1024 }, (_, i) => i % 1000);
    const { tensors } = await client.Predict({ name: 'hp3', tensors: [x(values)] });
    const out = new Float32Array(new Uint8Array(tensors[0].byte_data).buffer);
    expect(out.length).toBe(values.length);
    expect([out[0], out[999], out[1000]]).toEqual([3, 502.5, 3]);
  });
});
