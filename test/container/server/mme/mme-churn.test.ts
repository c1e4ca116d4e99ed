import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import pino from 'pino';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { startServer, type RunningServer } from '../../../../container/server/serve';

/**
 * SageMaker loads and unloads models all day on a multi-model endpoint: 1,000 load → invoke → unload cycles through
 * the worker pool must leave nothing behind. RSS may grow while the heaps warm up; after that it levels off.
 */

const CYCLES = 1000;
const WARM_UP = 200;
/**
 * Allowed growth from the end of the warm-up to the end (measured on the 2-core VM: RSS +10 MB, heap +1 MB): a
 * model, registry or pipeline left behind on every cycle accumulates over 800 cycles.
 */
const RSS_LEVEL_MB = 32;
const HEAP_LEVEL_MB = 8;

/** Memory in MB after a full collection of this thread's heap, so garbage not yet collected does not count. */
function settledMemory(): { rss: number; heapUsed: number } {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / (1024 * 1024), heapUsed: heapUsed / (1024 * 1024) };
}

describe('multi-model endpoint churn', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-mme-churn-'));
    writeLinearModel(path.join(root, 'model', '1'));
    server = await startServer({
      modelDir: root,
      port: 0,
      host: '127.0.0.1',
      env: { SAGEMAKER_MULTI_MODEL: 'true', TFSERVE_WORKERS: '1' },
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function cycle(i: number): Promise<void> {
    const name = `churn_${i}`;
    const loaded = await fetch(`${server.url}/models`, { method: 'POST', body: JSON.stringify({ model_name: name, url: path.join(root, 'model') }) });
    const invoked = await fetch(`${server.url}/models/${name}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"instances":[${i}]}`,
    });
    const unloaded = await fetch(`${server.url}/models/${name}`, { method: 'DELETE' });
    const answers = [loaded.status, await loaded.text(), invoked.status, await invoked.text(), unloaded.status, await unloaded.text()];
    expect(answers).toEqual([
      200,
      `{"success":"Successfully loaded model ${name}"}`,
      200,
      `{"predictions":[${(i / 2 + 3).toFixed(1)}]}`,
      200,
      `{"success":"Successfully unloaded model ${name}."}`,
    ]);
  }

  it(`runs ${CYCLES} load/invoke/unload cycles with RSS levelling off`, async () => {
    for (let i = 0; i < WARM_UP; i++) await cycle(i);
    const warm = settledMemory();
    for (let i = WARM_UP; i < CYCLES; i++) await cycle(i);
    const end = settledMemory();
    expect(end.rss - warm.rss).toBeLessThan(RSS_LEVEL_MB);
    expect(end.heapUsed - warm.heapUsed).toBeLessThan(HEAP_LEVEL_MB);
    expect(await (await fetch(`${server.url}/models`)).json()).toEqual({ models: [] });
  }, 60_000);
});
