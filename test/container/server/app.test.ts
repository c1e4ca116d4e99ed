import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { LoadedModel } from '../../../container/engine/engine';
import { NotFoundError } from '../../../container/errors';
import { createApp, executionParameters } from '../../../container/server/app';
import type { InvocationInput } from '../../../container/server/invocation';
import { ModelRegistry } from '../../../container/server/model-registry';
import { startServer, type RunningServer, type StartServerOptions } from '../../../container/server/serve';
import { FakeModel } from './fake-model';

const silent = pino({ level: 'silent' });

/** A models root with an empty saved_model.pb per `<name>/<version>` (the loaders here never read them). */
function modelsRoot(versionDirs: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-app-'));
  for (const dir of versionDirs) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, dir, 'saved_model.pb'), '');
  }
  return root;
}

function serve(root: string, options: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  return startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: {}, logger: silent, load: async () => new FakeModel(), ...options });
}

const invoke = (server: RunningServer, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(`${server.url}/invocations`, { method: 'POST', body, headers });

/** The value of one Prometheus sample line, 0 when absent. */
async function sample(server: RunningServer, line: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('the inference HTTP server', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = modelsRoot(['half_plus_three/00000123', 'half_plus_three/00000124', 'other/1']);
    // the offset tells versions apart: 0.5x + <version-dependent offset>
    server = await serve(root, { env: { TFSERVE_WORKERS: '4' }, load: async (dir) => new FakeModel(dir.endsWith('00000123') ? 100 : 3) });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('listens on the address asked for once every version of every model is available', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.registry.status().map((m) => `${m.name}/${m.version} ${m.state}`)).toEqual([
      'half_plus_three/123 available',
      'half_plus_three/124 available',
      'other/1 available',
    ]);
    expect(server.registry.defaultModelName).toBe('half_plus_three');
  });

  it('GET /ping (and HEAD) is 200 with an empty body', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${server.url}/ping`, { method });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
  });

  it('POST /invocations goes through the invocation pipeline, custom attributes included', async () => {
    const response = await invoke(server, '{"instances": [1.0, 2.0, 5.0]}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe('{"predictions":[3.5,4.0,5.5]}');
    const older = await invoke(server, '{"instances": [1.0]}', {
      'Content-Type': 'application/json',
      'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=half_plus_three,tfs-model-version=123',
    });
    expect(await older.text()).toBe('{"predictions":[100.5]}');
  });

  it('accepts bodies far larger than express’s 100 kB default', async () => {
    const instances = Array.from({ length: 50000 }, (_, i) => i % 7);
    const response = await invoke(server, JSON.stringify({ instances }));
    expect(response.status).toBe(200);
    const { predictions } = (await response.json()) as { predictions: number[] };
    expect(predictions.length).toBe(50000);
    expect(predictions[6]).toBe(6);
  });

  it('GET /execution-parameters answers batch transform with one request per worker', async () => {
    const response = await fetch(`${server.url}/execution-parameters`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ MaxConcurrentTransforms: 4, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 6 });
  });

  it('serves TF Serving’s /v1/models routes on the same models', async () => {
    const response = await fetch(`${server.url}/v1/models/other`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model_version_status: [{ version: '1', state: 'AVAILABLE' }] });
  });

  it('GET /metrics counts requests by route, model and status, and errors apart', async () => {
    const ok = 'tfserve_http_requests_total{route="/invocations",model="other",status="200"}';
    const missing = 'tfserve_http_requests_total{route="/invocations",model="unknown",status="400"}';
    const errors = 'tfserve_http_request_errors_total{route="/invocations",model="unknown",status="400"}';
    const before = await Promise.all([ok, missing, errors].map((line) => sample(server, line)));
    const other = { 'Content-Type': 'application/json', 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=other' };
    await (await invoke(server, '{"instances": [1]}', other)).text();
    await (await invoke(server, '{"instances": [1]}', other)).text();
    const nope = await invoke(server, '{"instances": [1]}', { 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=nope' });
    expect(nope.status).toBe(400);
    const after = await Promise.all([ok, missing, errors].map((line) => sample(server, line)));
    expect(after.map((value, i) => value - before[i])).toEqual([2, 1, 1]);

    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('tfserve_http_request_duration_seconds_bucket{le="0.0005",route="/invocations",model="other"}');
    expect(text).toContain('tfserve_model_versions{state="available"} 3');
    expect(text).toContain('tfserve_inference_queue_length 0');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('404 {"error": "Not Found"} for any other route or method', async () => {
    for (const [method, route] of [['GET', '/'], ['POST', '/ping'], ['GET', '/invocations'], ['GET', '/ping/x']]) {
      const response = await fetch(`${server.url}${route}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'Not Found' });
    }
  });
});

describe('the body limit (TFSERVE_MAX_BODY_MB)', () => {
  let root: string;
  let server: RunningServer;
  const tooLarge = { error: 'request body is larger than the 1 MB limit (TFSERVE_MAX_BODY_MB)' };
  const bodyOf = (bytes: number) => `{"instances": [1]}${' '.repeat(bytes - 18)}`;

  beforeAll(async () => {
    root = modelsRoot(['m/1']);
    server = await serve(root, { env: { TFSERVE_MAX_BODY_MB: '1' } });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('takes a body of exactly the limit', async () => {
    expect((await invoke(server, bodyOf(1024 * 1024))).status).toBe(200);
  });

  it('answers 413 naming the limit for a larger declared length', async () => {
    const response = await invoke(server, bodyOf(1024 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(tooLarge);
  });

  it('answers 413 for a larger chunked body', async () => {
    const chunks = [bodyOf(700_000), ' '.repeat(700_000)];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await fetch(`${server.url}/invocations`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(tooLarge);
  });

  it('answers 413 the same way on the TF Serving routes', async () => {
    const response = await fetch(`${server.url}/v1/models/m:predict`, { method: 'POST', body: bodyOf(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(tooLarge);
  });
});

describe('readiness', () => {
  let root: string;
  beforeEach(() => {
    root = modelsRoot(['good/1', 'bad/1']);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('listens before the models load: /ping and requests answer 503 naming what is loading', async () => {
    let finishLoading = () => undefined as void;
    const gate = new Promise<void>((resolve) => (finishLoading = resolve));
    const whileLoading = new Promise<[number, unknown, number, unknown]>((resolve) => {
      void serve(root, {
        env: { SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'good' },
        load: async () => {
          await gate;
          return new FakeModel();
        },
        onListening: async (server) => {
          const ping = await fetch(`${server.url}/ping`);
          const request = await invoke(server, '{"instances": [1]}');
          resolve([ping.status, await ping.json(), request.status, await request.json()]);
          finishLoading();
        },
      }).then((server) => server.close());
    });
    expect(await whileLoading).toEqual([
      503,
      {
        error: 'not ready: model bad version 1 is loading; model good version 1 is loading',
        loading: [{ model: 'bad', version: '1' }, { model: 'good', version: '1' }],
        failed: [],
      },
      503,
      { error: 'model good version 1 is still loading' },
    ]);
  });

  it('a version that fails to load keeps /ping at 503 naming the failure; the others serve', async () => {
    const server = await serve(root, {
      load: async (dir) => {
        if (dir.includes(`${path.sep}bad${path.sep}`)) throw new Error('op Foo is not supported');
        return new FakeModel();
      },
    });
    const ping = await fetch(`${server.url}/ping`);
    expect(ping.status).toBe(503);
    expect(await ping.json()).toEqual({
      error: 'not ready: model bad version 1 failed to load: op Foo is not supported',
      loading: [],
      failed: [{ model: 'bad', version: '1', reason: 'op Foo is not supported' }],
    });
    const json = { 'Content-Type': 'application/json' };
    const bad = await invoke(server, '{"instances": [1]}', { ...json, 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=bad' });
    expect(bad.status).toBe(503);
    expect(await bad.json()).toEqual({ error: 'model bad version 1 failed to load: op Foo is not supported' });
    const good = await invoke(server, '{"instances": [1]}', { ...json, 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-model-name=good' });
    expect(await good.text()).toBe('{"predictions":[3.5]}');
    await server.close();
  });

  it('a load that takes longer than TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS fails the version, naming the variable', async () => {
    const late = new FakeModel();
    let finishLate = (_model: LoadedModel) => undefined as void;
    const server = await serve(root, {
      env: { TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: '0.2' },
      load: (dir) => (dir.includes('bad') ? new Promise((resolve) => (finishLate = resolve)) : Promise.resolve(new FakeModel())),
    });
    expect(server.registry.status().find((v) => v.name === 'bad')).toMatchObject({
      state: 'failed',
      reason: 'did not load within 0.2 s (TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS); set it higher for large models',
    });
    finishLate(late);
    await new Promise((resolve) => setImmediate(resolve));
    expect(late.disposed).toBe(true); // a load that finishes after its timeout is freed, not served
    await server.close();
  });
});

describe('createApp', () => {
  async function listen(handleInvocation: (input: InvocationInput) => Promise<never>) {
    const registry = new ModelRegistry([{ name: 'm', version: '1', dir: '/m/1', model: new FakeModel() }], 'm');
    const server = http.createServer(createApp(registry, { handleInvocation, logger: silent }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('aborts the invocation’s signal when the client goes away', async () => {
    let aborted: (reason: unknown) => void = () => undefined;
    const abortReason = new Promise((resolve) => (aborted = resolve));
    const { server, url } = await listen(
      (input) => new Promise((_resolve, reject) => input.signal.addEventListener('abort', () => (aborted(input.signal.reason), reject(input.signal.reason)))),
    );
    const client = new AbortController();
    const request = fetch(`${url}/invocations`, { method: 'POST', body: '{}', signal: client.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.abort();
    await expect(request).rejects.toThrow();
    expect(await abortReason).toEqual(new Error('the client closed the connection'));
    server.close();
  });

  it('answers errors the pipeline throws with their status, anything unexpected with 500', async () => {
    for (const [error, status] of [[new NotFoundError('no such thing'), 404], [new TypeError('x is undefined'), 500]] as const) {
      const { server, url } = await listen(async () => {
        throw error;
      });
      const response = await fetch(`${url}/invocations`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: error.message });
      server.close();
    }
  });
});

describe('executionParameters', () => {
  it('keeps workers × payload within SageMaker’s 100 MB and the payload within the body limit', () => {
    expect(executionParameters({ TFSERVE_WORKERS: 2, TFSERVE_MAX_BODY_MB: 100 })).toEqual({
      MaxConcurrentTransforms: 2,
      BatchStrategy: 'MULTI_RECORD',
      MaxPayloadInMB: 6,
    });
    expect(executionParameters({ TFSERVE_WORKERS: 32, TFSERVE_MAX_BODY_MB: 100 }).MaxPayloadInMB).toBe(3);
    expect(executionParameters({ TFSERVE_WORKERS: 200, TFSERVE_MAX_BODY_MB: 100 })).toMatchObject({ MaxConcurrentTransforms: 100, MaxPayloadInMB: 1 });
    expect(executionParameters({ TFSERVE_WORKERS: 1, TFSERVE_MAX_BODY_MB: 2 }).MaxPayloadInMB).toBe(2);
  });
});
