import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { runDemoGenerate } from '../../bin/commands/demo';
import { runInspect } from '../../bin/commands/inspect';
import { startServer } from '../../container/server/serve';

describe('tfserve demo generate', () => {
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-demo-'));
    let output = '';
    await runDemoGenerate(root, (text) => (output += text));
    expect(output).toBe(`wrote ${path.join(root, 'half_plus_three', '1')}\n`);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes a model that inspect describes', async () => {
    let output = '';
    await runInspect(root, (text) => (output += text));
    expect(output).toContain(`Model: half_plus_three, version 1 (${path.join(root, 'half_plus_three', '1')})\n`);
    expect(output).toContain("signature_def['serving_default']:");
  });

  it('writes a model that serve answers: y = 0.5x + 3', async () => {
    const server = await startServer({ modelDir: root, port: 0, host: '127.0.0.1', env: { TFSERVE_ENGINE: 'pure' }, logger: pino({ level: 'silent' }) });
    try {
      const response = await fetch(`${server.url}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"instances": [1.0, 2.0, 5.0]}',
      });
      expect(await response.text()).toBe('{"predictions":[3.5,4.0,5.5]}');
    } finally {
      await server.close();
    }
  });
});
