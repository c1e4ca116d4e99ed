import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { startServer } from '../../../../container/server/serve';

/**
 * The churn measurement, run in a fresh process (started by mme-churn.test.ts with --expose-gc) so that what earlier
 * suites left in a reused jest worker cannot move its RSS. Prints one JSON line: memory after the warm-up, at the
 * end, and the first wrong answer if any.
 */

const [cycles, warmUp] = process.argv.slice(-2).map(Number);

function settledMemory(): { rss: number; heapUsed: number } {
  (globalThis as unknown as { gc(): void }).gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: rss / (1024 * 1024), heapUsed: heapUsed / (1024 * 1024) };
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-mme-churn-'));
  writeLinearModel(path.join(root, 'model', '1'));
  const server = await startServer({
    modelDir: root,
    port: 0,
    host: '127.0.0.1',
    env: { SAGEMAKER_MULTI_MODEL: 'true', TFSERVE_WORKERS: '1' },
    logger: pino({ level: 'silent' }),
  });
  let wrong: string | undefined;
  const cycle = async (i: number) => {
    const name = `churn_${i}`;
    const loaded = await fetch(`${server.url}/models`, { method: 'POST', body: JSON.stringify({ model_name: name, url: path.join(root, 'model') }) });
    const invoked = await fetch(`${server.url}/models/${name}/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"instances":[${i}]}`,
    });
    const unloaded = await fetch(`${server.url}/models/${name}`, { method: 'DELETE' });
    const answers = [loaded.status, await loaded.text(), invoked.status, await invoked.text(), unloaded.status, await unloaded.text()];
    const expected = [
      200,
      `{"success":"Successfully loaded model ${name}"}`,
      200,
      `{"predictions":[${(i / 2 + 3).toFixed(1)}]}`,
      200,
      `{"success":"Successfully unloaded model ${name}."}`,
    ];
    if (wrong === undefined && JSON.stringify(answers) !== JSON.stringify(expected)) wrong = JSON.stringify(answers);
  };
  for (let i = 0; i < warmUp; i++) await cycle(i);
  const warm = settledMemory();
  for (let i = warmUp; i < cycles; i++) await cycle(i);
  const end = settledMemory();
  const remaining = await (await fetch(`${server.url}/models`)).json();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ warm, end, wrong, remaining })}\n`);
}

void main();
