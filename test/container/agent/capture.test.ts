import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pino from 'pino';
import { parseAgentConfig } from '../../../container/agent/agent-config';
import { startAgent, type RunningAgent } from '../../../container/agent/start-agent';
import { localS3ClientConfig, startLocalS3, type LocalS3 } from '../../support/local-s3';
import { connect, float32Bytes, pollUntil, refusal, tempDir, uuid, type AgentClient } from './agent-client';

/** CaptureData and GetCaptureDataStatus end to end: to disk, to a real local S3 server, and refusals. */

const silent = pino({ level: 'silent' });
const now = () => ({ seconds: Math.floor(Date.now() / 1000) - 1, nanos: 5 });
const small = { tensor_metadata: { name: Buffer.from('x'), data_type: 'FLOAT32', shape: [2] }, byte_data: float32Bytes([1, 2]) };
const large = { tensor_metadata: { name: Buffer.from('y'), data_type: 'FLOAT32', shape: [8] }, byte_data: float32Bytes([1, 2, 3, 4, 5, 6, 7, 8]) };
const capture = (id: string, extra: object = {}) => ({
  model_name: 'hp3',
  capture_id: id,
  inference_timestamp: now(),
  input_tensors: [small],
  output_tensors: [large],
  inputs: [{ name: 'note', encoding: 'JSON', byte_data: Buffer.from('{"a":1}') }],
  ...extra,
});

async function started(config: object, s3Client?: S3Client): Promise<{ dir: string; agent: RunningAgent; client: AgentClient }> {
  const dir = tempDir('tfserve-agent-capture-');
  const agent = await startAgent({
    address: path.join(dir, 'agent.sock'),
    config: parseAgentConfig(config, 'test'),
    logger: silent,
    s3Client,
    captureRetryDelayMs: 5,
  });
  return { dir, agent, client: connect(agent.target) };
}

async function stopped({ dir, agent, client }: { dir: string; agent: RunningAgent; client: AgentClient }): Promise<void> {
  client.close();
  await agent.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

const status = (client: AgentClient, id: string) => pollUntil(async () => (await client.GetCaptureDataStatus({ capture_id: id })).status, 'IN_PROGRESS');

describe('capture to disk', () => {
  let ctx: Awaited<ReturnType<typeof started>>;
  let root: string;
  beforeAll(async () => {
    root = tempDir('tfserve-agent-disk-');
    ctx = await started({
      sagemaker_edge_core_capture_data_disk_path: root,
      sagemaker_edge_core_folder_prefix: 'fleet/captures',
      sagemaker_edge_core_device_name: 'device-1',
      sagemaker_edge_core_capture_data_base64_embed_limit: 16,
      sagemaker_edge_core_capture_data_batch_size: 2,
      sagemaker_edge_core_capture_data_buffer_size: 4,
      sagemaker_edge_core_capture_data_push_period_seconds: 0.05,
    });
  });
  afterAll(async () => {
    await stopped(ctx);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes the record, inlining data under the embed limit and writing larger data beside it', async () => {
    const id = uuid();
    expect(await ctx.client.CaptureData(capture(id))).toEqual({});
    expect(await status(ctx.client, id)).toBe('SUCCESS');
    const files = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.includes(id.slice(0, 8)) || f.endsWith('.jsonl'));
    const manifest = files.find((f) => f.endsWith('.jsonl'))!;
    expect(manifest).toMatch(new RegExp(`^fleet/captures/hp3/\\d{4}/\\d\\d/\\d\\d/\\d\\d/\\d{8}T\\d{9}Z-${id}\\.jsonl$`));
    const line = JSON.parse(fs.readFileSync(path.join(root, manifest), 'utf8').trim());
    const batch = path.basename(manifest, '.jsonl');
    expect(line).toEqual({
      captureId: id,
      modelName: 'hp3',
      deviceName: 'device-1',
      inferenceTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000005Z$/),
      inputTensors: [{ name: 'x', dataType: 'FLOAT32', shape: [2], bytes: 8, data: float32Bytes([1, 2]).toString('base64') }],
      outputTensors: [{ name: 'y', dataType: 'FLOAT32', shape: [8], bytes: 32, file: `${batch}/${id}/output-tensor-0.bin` }],
      inputs: [{ name: 'note', encoding: 'JSON', bytes: 7, data: Buffer.from('{"a":1}').toString('base64') }],
      outputs: [],
    });
    const beside = path.join(root, path.dirname(manifest), line.outputTensors[0].file);
    expect(fs.readFileSync(beside)).toEqual(large.byte_data);
  });

  it('refuses a duplicate capture_id with ALREADY_EXISTS', async () => {
    const id = uuid();
    await ctx.client.CaptureData(capture(id));
    expect(await refusal(ctx.client.CaptureData(capture(id)))).toEqual({ code: 'ALREADY_EXISTS', details: `capture_id ${id} was already used` });
  });

  it('refuses a malformed id or a bad tensor with INVALID_ARGUMENT, a future timestamp with OUT_OF_RANGE', async () => {
    expect(await refusal(ctx.client.CaptureData(capture('not-a-uuid')))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: 'capture_id "not-a-uuid" is not a UUID (8-4-4-4-12 hex digits)',
    });
    const bad = { ...small, tensor_metadata: { ...small.tensor_metadata, shape: [3] } };
    expect(await refusal(ctx.client.CaptureData(capture(uuid(), { input_tensors: [bad] })))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: `input_tensors[0] 'x': FLOAT32 [3] needs 12 bytes of byte_data, got 8`,
    });
    expect((await refusal(ctx.client.CaptureData(capture(uuid(), { input_tensors: [{ byte_data: Buffer.alloc(4) }] })))).details).toBe(
      'input_tensors[0]: tensor_metadata (name, data_type, shape) is required to capture a tensor',
    );
    const future = { seconds: Math.floor(Date.now() / 1000) + 3600, nanos: 0 };
    const answer = await refusal(ctx.client.CaptureData(capture(uuid(), { inference_timestamp: future })));
    expect(answer.code).toBe('OUT_OF_RANGE');
    expect(answer.details).toContain(`inference_timestamp ${future.seconds}.000000000 s is in the future`);
  });

  it('answers the NOT_FOUND status for an unknown id and the NOT_FOUND code for an id no capture can have', async () => {
    expect(await ctx.client.GetCaptureDataStatus({ capture_id: uuid() })).toEqual({ status: 'NOT_FOUND' });
    expect(await refusal(ctx.client.GetCaptureDataStatus({ capture_id: 'x' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'capture_id "x" is not a UUID: no capture has it',
    });
  });
});

describe('capture buffer', () => {
  it('answers RESOURCE_EXHAUSTED while the buffer is full, IN_PROGRESS until written, then SUCCESS', async () => {
    // An S3 endpoint that holds every upload until released: the buffer cannot drain meanwhile.
    const held: (() => void)[] = [];
    const gate = http.createServer((req, res) => {
      req.resume();
      held.push(() => res.writeHead(200, { ETag: '"e"' }).end());
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
    const s3 = new S3Client(localS3ClientConfig(endpoint));
    const ctx = await started(
      {
        sagemaker_edge_core_capture_data_destination: 'Cloud',
        sagemaker_edge_provider_s3_bucket_name: 'held',
        sagemaker_edge_core_capture_data_buffer_size: 2,
        sagemaker_edge_core_capture_data_batch_size: 1,
      },
      s3,
    );
    const ids = [uuid(), uuid(), uuid()];
    await ctx.client.CaptureData(capture(ids[0])); // written at once (batch of 1): held at the gate
    await ctx.client.CaptureData(capture(ids[1])); // waits in the buffer
    const full = await refusal(ctx.client.CaptureData(capture(ids[2])));
    expect(full.code).toBe('RESOURCE_EXHAUSTED');
    expect(full.details).toContain('sagemaker_edge_core_capture_data_buffer_size=2');
    expect((await ctx.client.GetCaptureDataStatus({ capture_id: ids[0] })).status).toBe('IN_PROGRESS');
    expect((await ctx.client.GetCaptureDataStatus({ capture_id: ids[2] })).status).toBe('NOT_FOUND');
    const current = async (id: string) => (await ctx.client.GetCaptureDataStatus({ capture_id: id })).status;
    for (let i = 0; i < 400 && (await current(ids[1])) === 'IN_PROGRESS'; i++) {
      held.splice(0).forEach((release) => release());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([await status(ctx.client, ids[0]), await status(ctx.client, ids[1])]).toEqual(['SUCCESS', 'SUCCESS']);
    await stopped(ctx);
    s3.destroy();
    gate.closeAllConnections();
    await new Promise((resolve) => gate.close(resolve));
  });

  it('answers FAILED_PRECONDITION when capture has no destination', async () => {
    const ctx = await started({});
    expect(await refusal(ctx.client.CaptureData(capture(uuid())))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: 'data capture has no destination: set sagemaker_edge_core_capture_data_disk_path in the config file',
    });
    await stopped(ctx);
  });
});

describe('capture to S3 (real local server)', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3();
  }, 30_000);
  afterAll(() => s3.stop());

  it('uploads the record and the data beside it', async () => {
    const bucket = await s3.bucket('sagemaker-edge-captures');
    const ctx = await started(
      {
        sagemaker_edge_core_capture_data_destination: 'Cloud',
        sagemaker_edge_provider_s3_bucket_name: bucket,
        sagemaker_edge_core_capture_data_base64_embed_limit: 16,
        sagemaker_edge_core_capture_data_push_period_seconds: 0.05,
      },
      s3.client,
    );
    const id = uuid();
    await ctx.client.CaptureData(capture(id));
    expect(await status(ctx.client, id)).toBe('SUCCESS');
    const keys = ((await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    expect(keys).toHaveLength(2);
    const manifest = keys.find((k) => k.endsWith('.jsonl'))!;
    expect(manifest).toMatch(/^hp3\/\d{4}\/\d\d\/\d\d\/\d\d\//);
    const read = async (key: string) => Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
    const line = JSON.parse((await read(manifest)).toString());
    expect(line.captureId).toBe(id);
    expect(await read(`${path.posix.dirname(manifest)}/${line.outputTensors[0].file}`)).toEqual(large.byte_data);
    await stopped(ctx);
  });

  it('reports FAILURE once retries of a failing upload (missing bucket) are exhausted', async () => {
    const ctx = await started(
      {
        sagemaker_edge_core_capture_data_destination: 'Cloud',
        sagemaker_edge_provider_s3_bucket_name: 'no-such-bucket',
        sagemaker_edge_core_capture_data_push_period_seconds: 0.05,
      },
      s3.client,
    );
    const id = uuid();
    await ctx.client.CaptureData(capture(id));
    expect(await status(ctx.client, id)).toBe('FAILURE');
    await stopped(ctx);
  });
});
