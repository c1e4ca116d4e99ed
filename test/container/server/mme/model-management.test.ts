import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { type RunningServer, startServer } from '../../../../container/server/serve';

/** Single-model mode's model management API (TFSERVE_MODEL_MANAGEMENT=true): the /models operations for local use. */
describe('model management in single-model mode', () => {
  const engine = new PureEngine();
  const json = { 'Content-Type': 'application/json' };
  let root: string;
  let servers: RunningServer[] = [];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-manage-'));
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    writeLinearModel(path.join(root, 'extra', 'linear', '1'), { a: 0.5, b: 2, c: 3 });
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv): Promise<RunningServer> {
    const server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: { TFSERVE_WORKERS: '1', ...env },
      logger: pino({ level: 'silent' }),
      load: (dir) => engine.load(dir),
    });
    servers.push(server);
    return server;
  }

  const load = (server: RunningServer, name: string, url: string) =>
    fetch(`${server.url}/models`, { method: 'POST', headers: json, body: JSON.stringify({ model_name: name, url }) });

  test('loads, lists, describes, invokes and unloads beside the discovered model', async () => {
    const server = await start({ TFSERVE_MODEL_MANAGEMENT: 'true' });
    const loaded = await load(server, 'half-plus-two', path.join(root, 'extra', 'linear'));
    expect(loaded.status).toBe(200);
    const listed = (await (await fetch(`${server.url}/models`)).json()) as { models: Array<{ modelName: string }> };
    expect(listed.models.map((m) => m.modelName)).toEqual(['half-plus-two']);
    expect((await fetch(`${server.url}/models/half-plus-two`)).status).toBe(200);
    const invoked = await fetch(`${server.url}/models/half-plus-two/invoke`, { method: 'POST', headers: json, body: '{"instances":[1,2,5]}' });
    expect(await invoked.text()).toBe('{"predictions":[2.5,3.0,4.5]}');
    // /invocations keeps serving the model discovered at start-up
    const discovered = await fetch(`${server.url}/invocations`, { method: 'POST', headers: json, body: '{"instances":[1,2,5]}' });
    expect(await discovered.text()).toBe('{"predictions":[3.5,4.0,5.5]}');
    expect((await fetch(`${server.url}/models/half-plus-two`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${server.url}/models/half-plus-two`)).status).toBe(404);
  });

  test.each(['half_plus_two', '-lead', 'trail-', 'a.b'])('a name outside SageMaker’s rule (%s) answers 400 quoting the rule', async (name) => {
    const server = await start({ TFSERVE_MODEL_MANAGEMENT: 'true' });
    const response = await load(server, name, path.join(root, 'extra', 'linear'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      `model_name ${JSON.stringify(name)} must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$ (SageMaker's model name rule)`,
    );
  });

  test('without the flag there is no /models API', async () => {
    const server = await start({});
    expect((await load(server, 'half-plus-two', path.join(root, 'extra', 'linear'))).status).toBe(404);
  });
});
