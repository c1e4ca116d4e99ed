import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { cnnImages, writeCnnModel } from '../../../container/engine/writer/cnn-model';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { encodeExample, type Example } from '../../../container/formats/example';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { startServer, type RunningServer } from '../../../container/server/serve';

/**
 * `/invocations` with binary record bodies, as Batch Transform sends TFRecord input: a real server on 127.0.0.1
 * serving the demo model half_plus_three (dense `x` in serving_default; tf.Example inputs in its classify and
 * regress signatures) and the generated CNN (a dense [-1, 32, 32, 3] image input).
 */

const silent = pino({ level: 'silent' });
let root: string;
let server: RunningServer;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-records-'));
  await writeDemoModels(root);
  writeCnnModel(path.join(root, 'cnn', '1'));
  server = await startServer({
    modelDir: root,
    port: 0,
    host: '127.0.0.1',
    env: { TFSERVE_WORKERS: '1', TFSERVE_ENGINE: 'pure', TFSERVE_MAX_BODY_MB: '4', SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'half_plus_three' },
    logger: silent,
  });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const x = (value: number, more: Example = {}): Example => ({ x: { kind: 'float', values: [value] }, ...more });
const tfrecord = (examples: Example[]) => Buffer.concat(examples.map((example) => frameTfRecord(encodeExample(example))));

async function invoke(body: Uint8Array, contentType: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

describe('application/x-tfexample (SingleRecord)', () => {
  it('parses the example into the dense input and answers one JSON line', async () => {
    expect(await invoke(encodeExample(x(1.5)), 'application/x-tfexample')).toEqual({
      status: 200,
      contentType: 'application/jsonlines',
      body: '3.75',
    });
  });
});

describe('application/x-tfrecord (MultiRecord)', () => {
  const body = tfrecord([x(1), x(2, { unused: { kind: 'bytes', values: [new Uint8Array(10)] } }), x(5)]);

  it('answers one JSON line per record, in record order', async () => {
    expect(await invoke(body, 'application/x-tfrecord')).toEqual({ status: 200, contentType: 'application/jsonlines', body: '3.5\n4.0\n5.5' });
  });

  it('answers the whole TF Serving JSON when Accept asks for JSON', async () => {
    expect((await invoke(body, 'application/x-tfrecord', { Accept: 'application/json' })).body).toBe('{"predictions":[3.5,4.0,5.5]}');
  });

  it('feeds the serialized examples to a signature whose one input is DT_STRING', async () => {
    const answer = await invoke(body, 'application/x-tfrecord; signature_name="tensorflow/serving/classify"');
    expect(answer).toMatchObject({ status: 200, body: '[3.5]\n[4.0]\n[5.5]' });
  });

  it('classifies and regresses the examples with tfs-method', async () => {
    const classify = await invoke(body, 'application/x-tfrecord; signature_name="tensorflow/serving/classify"', {
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-method=classify',
    });
    expect(classify).toMatchObject({ status: 200, body: '[["",3.5]]\n[["",4.0]]\n[["",5.5]]' });
    const regress = await invoke(body, 'application/x-tfrecord; signature_name=regress_x_to_y2', {
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-method=regress',
    });
    expect(regress).toMatchObject({ status: 200, body: '3.5\n4.0\n5.5' });
  });

  it('fills a multi-dimensional dense input, matching the JSON request for the same images', async () => {
    const images = cnnImages(2);
    const size = 32 * 32 * 3;
    const examples = [0, 1].map((i): Example => ({ images: { kind: 'float', values: Array.from(images.values.subarray(i * size, (i + 1) * size)) } }));
    const cnn = { 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=cnn' };
    const fromRecords = await invoke(tfrecord(examples), 'application/x-tfrecord', cnn);
    expect(fromRecords.status).toBe(200);
    const lines = fromRecords.body.split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toHaveLength(10);
    const instances = [0, 1].map((i) => nested(Array.from(images.values.subarray(i * size, (i + 1) * size))));
    const fromJson = await invoke(Buffer.from(JSON.stringify({ instances })), 'application/json', { ...cnn, Accept: 'application/jsonlines' });
    expect(fromRecords.body).toBe(fromJson.body);
  });

  it('carries binary bodies up to TFSERVE_MAX_BODY_MB and refuses larger ones with 413', async () => {
    const padding = (bytes: number): Example => ({ padding: { kind: 'bytes', values: [new Uint8Array(bytes).fill(7)] } });
    const big = tfrecord(Array.from({ length: 35 }, (_, i) => x(i, padding(100_000))));
    expect(big.length).toBeGreaterThan(3 * 1024 * 1024);
    const answer = await invoke(big, 'application/x-tfrecord');
    expect(answer.status).toBe(200);
    expect(answer.body.split('\n')).toHaveLength(35);
    const tooBig = await invoke(tfrecord([x(1, padding(4 * 1024 * 1024))]), 'application/x-tfrecord');
    expect(tooBig.status).toBe(413);
  });
});

describe('errors', () => {
  it('answers 400 naming the record and byte offset of a bad CRC', async () => {
    const first = frameTfRecord(encodeExample(x(1)));
    const body = Buffer.concat([first, frameTfRecord(encodeExample(x(2)))]);
    body[body.length - 1] ^= 0xff;
    const answer = await invoke(body, 'application/x-tfrecord');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(new RegExp(`^request body: record 1 at byte offset ${first.length}: data CRC check failed`));
  });

  it('answers 400 naming the example and the feature it lacks', async () => {
    const first = frameTfRecord(encodeExample(x(1)));
    const answer = await invoke(Buffer.concat([first, frameTfRecord(encodeExample({ y: { kind: 'float', values: [1] } }))]), 'application/x-tfrecord');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toBe(
      `example 1 (record at byte offset ${first.length}): feature "x" is missing; input x (float) of the signature takes it`,
    );
  });
});

/** [32*32*3] row-major → [32][32][3]. */
function nested(values: number[]): number[][][] {
  return Array.from({ length: 32 }, (_, h) => Array.from({ length: 32 }, (_, w) => values.slice((h * 32 + w) * 3, (h * 32 + w) * 3 + 3)));
}
