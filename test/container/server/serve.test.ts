import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { writeLinearModel } from '../../../container/engine/writer/linear-model';
import { startServer, type RunningServer } from '../../../container/server/serve';

/** startServer with its inference workers: the real engine on a generated model, and held fake models in workers. */

const silent = pino({ level: 'silent' });
const heldLoader = path.join(__dirname, 'workers', 'held-model-loader.ts');
const json = { 'Content-Type': 'application/json' };

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-serve-'));
}

describe('startServer with inference workers on a generated model', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = tempRoot();
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: { TFSERVE_WORKERS: '2', TFSERVE_ENGINE: 'pure' }, logger: silent });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('is ready, and answers /invocations from the workers', async () => {
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    const answers = await Promise.all(
      [1, 2, 5].map(async (x) => (await fetch(`${server.url}/invocations`, { method: 'POST', headers: json, body: `{"instances": [${x}]}` })).text()),
    );
    expect(answers).toEqual(['{"predictions":[3.5]}', '{"predictions":[4.0]}', '{"predictions":[5.5]}']);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('tfserve_inference_workers{state="idle"} 2');
  });

  it('keeps error statuses from the worker: an unknown signature is TF Serving’s 400', async () => {
    const response = await fetch(`${server.url}/invocations`, {
      method: 'POST',
      headers: json,
      body: '{"signature_name": "nope", "instances": [1]}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Serving signature key "nope" not found.' });
  });
});

describe('startServer with held models in the workers', () => {
  let root: string;
  let modelDir: string;
  beforeEach(() => {
    root = tempRoot();
    modelDir = path.join(root, 'm', '1');
    fs.mkdirSync(modelDir, { recursive: true });
    fs.writeFileSync(path.join(modelDir, 'saved_model.pb'), '');
    fs.writeFileSync(path.join(modelDir, 'runs.log'), '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const start = (env: Record<string, string>, onListening?: (server: RunningServer) => void) =>
    startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: { TFSERVE_WORKERS: '1', ...env }, logger: silent, workerLoaderModule: heldLoader, onListening });
  const predict = (server: RunningServer) => fetch(`${server.url}/invocations`, { method: 'POST', headers: json, body: '{"instances": [1]}' });
  const runsStarted = () => fs.readFileSync(path.join(modelDir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;

  it('answers /ping within 2 s while an inference holds the only worker', async () => {
    const server = await start({});
    fs.writeFileSync(path.join(modelDir, 'hold'), '');
    let inferenceDone = false;
    const inference = predict(server).then(async (response) => {
      inferenceDone = true;
      return response.text();
    });
    while (runsStarted() === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    const ping = await fetch(`${server.url}/ping`, { signal: AbortSignal.timeout(2000) });
    expect(ping.status).toBe(200);
    expect(inferenceDone).toBe(false);

    fs.rmSync(path.join(modelDir, 'hold'));
    expect(await inference).toBe('{"predictions":[3.5]}');
    await server.close();
  });

  it('answers 504 naming TFSERVE_INFERENCE_TIMEOUT_SECONDS when the model runs past it', async () => {
    const server = await start({ TFSERVE_INFERENCE_TIMEOUT_SECONDS: '0.3' });
    fs.writeFileSync(path.join(modelDir, 'hold'), '');
    const response = await predict(server);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({
      error: 'the model did not answer within 0.3 s (TFSERVE_INFERENCE_TIMEOUT_SECONDS); set it higher for longer inferences',
    });
    fs.rmSync(path.join(modelDir, 'hold'));
    await server.close();
  });

  it('says 503 "loading" until the workers have loaded the model, then 200', async () => {
    fs.writeFileSync(path.join(modelDir, 'hold-load'), '');
    let duringLoad: Promise<number> | undefined;
    const server = await start({}, (listening) => {
      duringLoad = fetch(`${listening.url}/ping`).then((response) => {
        fs.rmSync(path.join(modelDir, 'hold-load'));
        return response.status;
      });
    });
    expect(await duringLoad).toBe(503);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    await server.close();
  });

  it('shows a model the workers cannot load on /ping', async () => {
    fs.writeFileSync(path.join(modelDir, 'broken'), '');
    const server = await start({});
    const ping = await fetch(`${server.url}/ping`);
    expect(ping.status).toBe(503);
    expect(((await ping.json()) as { failed: unknown }).failed).toEqual([{ model: 'm', version: '1', reason: `cannot read ${modelDir}: broken on purpose` }]);
    await server.close();
  });
});
