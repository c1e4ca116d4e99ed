import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { packModelArchive, unpackModelArchive, verifyModelArchive } from '../../../container/archive';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { startServer } from '../../../container/server/serve';

/** What SageMaker does with ModelDataUrl, end to end: pack → extract into the model dir → the container serves it. */
describe('a packed model served by the container', () => {
  let root: string;
  beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-archive-serve-'))));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('answers half_plus_three: [1, 2, 5] → [3.5, 4, 5.5]', async () => {
    const source = path.join(root, 'source');
    await writeDemoModels(source);
    const archive = path.join(root, 'model.tar.gz');
    await packModelArchive(source, archive);
    expect((await verifyModelArchive(archive, { load: true })).problems).toEqual([]);
    const modelDir = path.join(root, 'opt', 'ml', 'model');
    await unpackModelArchive(archive, modelDir);

    const server = await startServer({
      modelDir,
      port: 0,
      host: '127.0.0.1',
      env: { TFSERVE_ENGINE: 'pure' },
      logger: pino({ level: 'silent' }),
    });
    try {
      const response = await fetch(`${server.url}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ instances: [1, 2, 5] }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ predictions: [3.5, 4, 5.5] });
    } finally {
      await server.close();
    }
  });
});
