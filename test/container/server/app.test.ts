import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer } from '../../../container/server/serve';
import { FakeModel } from './fake-model';

const silent = pino({ level: 'silent' });

describe('the inference HTTP server', () => {
  let root: string;
  let server: RunningServer;
  const loaded = new Map<string, FakeModel>();

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-app-'));
    for (const dir of ['half_plus_three/00000123', 'half_plus_three/00000124', 'other/1']) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, 'saved_model.pb'), '');
    }
    server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: {},
      logger: silent,
      // the offset tells versions apart: 0.5x + <version-dependent offset>
      load: async (dir) => {
        const model = new FakeModel(dir.endsWith('00000123') ? 100 : 3);
        loaded.set(dir, model);
        return model;
      },
    });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const invoke = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    fetch(`${server.url}/invocations`, { method: 'POST', body, headers });

  it('listens on the address asked for and loads every version of every model', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.registry.all().map((m) => `${m.name}/${m.version}`)).toEqual([
      'half_plus_three/123',
      'half_plus_three/124',
      'other/1',
    ]);
    expect(server.registry.defaultModelName).toBe('half_plus_three');
  });

  it('GET /ping is 200 with an empty body', async () => {
    const response = await fetch(`${server.url}/ping`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('POST /invocations answers row-form requests with predictions from the highest version', async () => {
    const response = await invoke('{"instances": [1.0, 2.0, 5.0]}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe('{"predictions":[3.5,4.0,5.5]}');
  });

  it('POST /invocations answers columnar requests with outputs', async () => {
    const response = await invoke('{"signature_name": "two_inputs", "inputs": {"a": [1.5], "b": [9007199254740993]}}');
    expect(await response.text()).toBe('{"outputs":{"a_doubled":[3.0],"b_next":[9007199254740994]}}');
  });

  it('reads a body without Content-Type as JSON', async () => {
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      body: new TextEncoder().encode('{"instances": [[1.0]]}'),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"predictions":[[3.5]]}');
  });

  it('selects model and version from X-Amzn-SageMaker-Custom-Attributes', async () => {
    const response = await invoke('{"instances": [1.0]}', {
      'Content-Type': 'application/json; charset=utf-8',
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=half_plus_three,tfs-model-version=00123',
    });
    expect(await response.text()).toBe('{"predictions":[100.5]}');
    const missing = await invoke('{"instances": [1.0]}', {
      'Content-Type': 'application/json',
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=nope',
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Servable not found for request: Latest(nope)' });
  });

  it('400 for a tfs-method other than predict', async () => {
    const response = await invoke('{"examples": [{"x": 1.0}]}', {
      'Content-Type': 'application/json',
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-method=regress',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'tfs-method regress is not supported by this server (supported: predict)' });
  });

  it.each([
    ['{"instances": [1.0, 2.0', "JSON Parse error: Missing a comma or ']' after an array element. at offset: 23"],
    ['', 'JSON Parse error: The document is empty'],
    ['{"junk": 1}', "Missing 'inputs' or 'instances' key"],
    ['{"instances": [{"junk": "data"}]}', "Failed to process element: 0 key: junk of 'instances' list. Error: Invalid argument: JSON object: does not have named input: junk"],
    ['{"signature_name": "nope", "instances": [1]}', 'Serving signature key "nope" not found.'],
  ])('400 {"error"} for %j', async (body, message) => {
    const response = await invoke(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: message });
  });

  it('500 {"error"} when the model fails', async () => {
    const response = await invoke('{"signature_name": "broken", "inputs": 1}');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'kernel exploded' });
  });

  it('415 for a body that is not JSON', async () => {
    const response = await invoke('1,2', { 'Content-Type': 'application/x-image' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'Unsupported Media Type: application/x-image' });
  });

  it('accepts bodies larger than express’s 100 kB default', async () => {
    const instances = Array.from({ length: 50000 }, (_, i) => i % 7);
    const response = await invoke(JSON.stringify({ instances }));
    expect(response.status).toBe(200);
    const { predictions } = (await response.json()) as { predictions: number[] };
    expect(predictions.length).toBe(50000);
    expect(predictions[6]).toBe(6);
  });

  it('404 {"error": "Not Found"} for any other route', async () => {
    for (const [method, route] of [['GET', '/'], ['GET', '/execution-parameters'], ['POST', '/ping']]) {
      const response = await fetch(`${server.url}${route}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'Not Found' });
    }
  });
});

describe('startServer', () => {
  it('frees the models when it closes', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-close-'));
    fs.mkdirSync(path.join(root, 'm', '1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'm', '1', 'saved_model.pb'), '');
    const model = new FakeModel();
    const server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: {}, logger: silent, load: async () => model });
    await server.close();
    expect(model.disposed).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses a bad environment naming the variable', async () => {
    await expect(startServer({ modelDir: '/nowhere', env: { SAGEMAKER_BIND_TO_PORT: 'x' }, logger: silent })).rejects.toThrow(
      'invalid environment: SAGEMAKER_BIND_TO_PORT="x": must be a port number from 1 to 65535',
    );
  });
});
