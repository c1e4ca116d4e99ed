import { startMme } from './mme-server';

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
  const mme = await startMme({ load: 'workers' });
  const url = mme.model('model');
  let wrong: string | undefined;
  const cycle = async (i: number) => {
    const name = `churn_${i}`;
    const loaded = await mme.load(name, url);
    const invoked = await mme.invoke(name, `{"instances":[${i}]}`);
    const unloaded = await mme.remove(name);
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
  const remaining = await (await mme.get('/models')).json();
  await mme.close();
  process.stdout.write(`${JSON.stringify({ warm, end, wrong, remaining })}\n`);
}

void main();
