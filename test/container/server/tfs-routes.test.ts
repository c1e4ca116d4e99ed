import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { writeLinearModel } from '../../../container/engine/writer/linear-model';
import { type RunningServer, startServer } from '../../../container/server/serve';
import { parseTfsPath } from '../../../container/server/tfs-path';

describe('parseTfsPath', () => {
  test.each([
    ['/v1/models/half_plus_three', { kind: 'status', model: 'half_plus_three', version: undefined }],
    ['/v1/models/m/versions/123', { kind: 'status', model: 'm', version: '123' }],
    ['/v1/models/m/metadata', { kind: 'metadata', model: 'm', version: undefined }],
    ['/v1/models/m/versions/7/metadata', { kind: 'metadata', model: 'm', version: '7' }],
    ['/v1/models/m:predict', { kind: 'method', model: 'm', version: undefined, method: 'predict' }],
    ['/v1/models/m/versions/2:regress', { kind: 'method', model: 'm', version: '2', method: 'regress' }],
  ])('%s', (p, expected) => {
    expect(parseTfsPath(p)).toEqual(expected);
  });

  test.each([
    ['/v1/models/m:explain', 'unknown method :explain'],
    ['/v1/models/', 'is not a TensorFlow Serving REST path'],
    ['/v1/models/m/labels/stable', 'is not a TensorFlow Serving REST path'],
  ])('%s is a 404 naming the problem', (p, message) => {
    expect(() => parseTfsPath(p)).toThrow(message);
  });
});

describe('TF Serving REST routes over HTTP (generated half_plus_three, versions 1 and 2)', () => {
  let root: string;
  let server: RunningServer;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-tfs-routes-'));
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    writeLinearModel(path.join(root, 'half_plus_three', '2'), { a: 0.5, b: 2, c: 3 });
    server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: { TFSERVE_ENGINE: 'pure' }, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function request(method: 'GET' | 'POST', url: string, body?: string) {
    const response = await fetch(`${server.url}${url}`, { method, body, headers: { 'Content-Type': 'application/json' } });
    return { status: response.status, body: await response.text() };
  }

  test.each([
    ['/v1/models/half_plus_three:predict', '{"instances": [1.0, 2.0, 5.0]}', '{"predictions":[2.5,3.0,4.5]}'],
    ['/v1/models/half_plus_three/versions/1:predict', '{"instances": [1.0, 2.0, 5.0]}', '{"predictions":[3.5,4.0,5.5]}'],
    ['/v1/models/half_plus_three/versions/1:predict', '{"inputs": [1.0, 2.0, 5.0]}', '{"outputs":[3.5,4.0,5.5]}'],
    ['/v1/models/half_plus_three/versions/1:regress', '{"signature_name": "tensorflow/serving/regress", "examples": [{"x": 1.0}, {"x": 2.0}]}', '{"results":[3.5,4.0]}'],
    ['/v1/models/half_plus_three/versions/1:classify', '{"signature_name": "tensorflow/serving/classify", "examples": [{"x": 1.0}]}', '{"results":[[["",3.5]]]}'],
  ])('POST %s %s', async (url, body, expected) => {
    expect(await request('POST', url, body)).toEqual({ status: 200, body: expected });
  });

  test('GET status lists every version as AVAILABLE', async () => {
    expect(JSON.parse((await request('GET', '/v1/models/half_plus_three')).body)).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
        { version: '2', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
    expect(JSON.parse((await request('GET', '/v1/models/half_plus_three/versions/2')).body).model_version_status).toHaveLength(1);
  });

  test('GET metadata in TF Serving’s shape', async () => {
    const { status, body } = await request('GET', '/v1/models/half_plus_three/versions/1/metadata');
    expect(status).toBe(200);
    const metadata = JSON.parse(body);
    expect(metadata.model_spec).toEqual({ name: 'half_plus_three', signature_name: '', version: '1' });
    expect(metadata.metadata.signature_def.signature_def.serving_default).toEqual({
      inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [], unknown_rank: true }, name: 'x:0' } },
      outputs: { y: { dtype: 'DT_FLOAT', tensor_shape: { dim: [], unknown_rank: true }, name: 'y:0' } },
      method_name: 'tensorflow/serving/predict',
    });
  });

  test.each([
    ['GET', '/v1/models/nope', 404, 'Could not find any versions of model nope'],
    ['GET', '/v1/models/half_plus_three/versions/9', 404, 'Could not find version 9 of model half_plus_three'],
    ['GET', '/v1/models/nope/metadata', 404, 'Servable not found for request: Latest(nope)'],
    ['POST', '/v1/models/half_plus_three/versions/9:predict', 404, 'Servable not found for request: Specific(half_plus_three, 9)'],
    ['POST', '/v1/models/half_plus_three:predict', 400, 'JSON Parse error: The document is empty'],
    ['POST', '/v1/models/half_plus_three:explain', 404, 'unknown method :explain'],
  ] as const)('%s %s → %i', async (method, url, status, message) => {
    const response = await request(method, url, method === 'POST' ? '' : undefined);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body).error).toContain(message);
  });
});
