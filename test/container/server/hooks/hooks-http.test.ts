import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { PureEngine } from '../../../../container/engine/pure-engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { startServer, type RunningServer } from '../../../../container/server/serve';

/**
 * A model archive as a user ships it: the generated half_plus_three plus `code/inference.js`, whose input handler reads
 * `;`-separated numbers and whose output handler writes `y=<prediction>` lines, using a helper package vendored
 * in `code/node_modules`. Served by the real server on a real socket.
 */

const inferenceJs = `
const { label } = require('tiny-label');

exports.inputHandler = (data) => {
  const text = data.toString();
  if (text === 'boom') throw new Error('cannot read ' + text);
  return { instances: text.split(';').map(Number) };
};

exports.outputHandler = async (response, context) => {
  if (response.status !== 200) return { status: response.status, body: { hookSaw: response.json().error } };
  const lines = response.json().predictions.map((y) => label(y));
  lines.push(context.modelName + '/' + context.modelVersion + ' ' + context.method + ' ' + context.customAttributes);
  return { body: lines.join('\\n'), contentType: 'text/plain' };
};
`;

describe('hooks from code/inference.js, over HTTP', () => {
  let root: string;
  let server: RunningServer;
  const engine = new PureEngine();

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-hooks-http-'));
    writeLinearModel(path.join(root, 'half_plus_three', '1'));
    const files: Record<string, string> = {
      'code/inference.js': inferenceJs,
      'code/package.json': '{"private": true, "dependencies": {"tiny-label": "1.0.0"}}',
      'code/node_modules/tiny-label/package.json': '{"name": "tiny-label", "version": "1.0.0"}',
      'code/node_modules/tiny-label/index.js': "exports.label = (y) => 'y=' + y;",
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: {},
      logger: pino({ level: 'silent' }),
      load: (dir) => engine.load(dir),
    });
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const invoke = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/invocations`, { method: 'POST', body, headers: { 'Content-Type': 'text/plain', ...headers } });

  it('runs the input handler, the model and the output handler', async () => {
    const response = await invoke('1;2;5', { 'X-Amzn-SageMaker-Custom-Attributes': 'session=42, tfs-model-version=1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('y=3.5\ny=4\ny=5.5\nhalf_plus_three/1 predict session=42, tfs-model-version=1');
  });

  it("hands the model's error to the output handler", async () => {
    const response = await invoke('1;x');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ hookSaw: expect.stringContaining('instances') });
  });

  it('answers 500 naming the hook that threw', async () => {
    const response = await invoke('boom');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'inputHandler: cannot read boom' });
  });

  it('answers 400 naming an invalid tfs-* attribute before any hook runs', async () => {
    const response = await invoke('1', { 'X-Amzn-SageMaker-Custom-Attributes': 'tfs-method=explain' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'custom attribute tfs-method=explain: the methods are predict, classify, regress' });
  });
});
