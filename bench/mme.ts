/**
 * Multi-model endpoint: loads 100 half_plus_three models through `POST /models` into one inference worker, invokes
 * each once, then unloads them all, timing each step over HTTP as SageMaker's agent would see it, and reports the
 * RSS each loaded model adds (main thread + worker). Prints a table; asserts nothing.
 *
 *   npx tsc && node --expose-gc dist/bench/mme.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { writeLinearModel } from '../container/engine/writer/linear-model';
import { startServer } from '../container/server/serve';

const MODELS = 100;
const MB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(request: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const response = await request();
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${response.status} ${text}`);
  return performance.now() - started;
}

function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-mme-'));
  // One directory per model, as SageMaker downloads each artifact to its own folder.
  for (let i = 0; i < MODELS; i++) writeLinearModel(path.join(root, `m${i}`, 'model', '1'));
  const server = await startServer({
    modelDir: root,
    port: 0,
    host: '127.0.0.1',
    env: { ...process.env, SAGEMAKER_MULTI_MODEL: 'true', TFSERVE_WORKERS: '1' },
    logger: pino({ level: 'silent' }),
  });
  const load = (name: string, i: number) =>
    timed(() => fetch(`${server.url}/models`, { method: 'POST', body: JSON.stringify({ model_name: name, url: path.join(root, `m${i}`, 'model') }) }));
  const invoke = (name: string) =>
    timed(() => fetch(`${server.url}/models/${name}/invoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"instances":[1,2,5]}' }));
  const unload = (name: string) => timed(() => fetch(`${server.url}/models/${name}`, { method: 'DELETE' }));

  // The worker's first load starts the engine's backend: not a per-model cost.
  await load('warm_up', 0);
  await invoke('warm_up');
  await unload('warm_up');
  const names = Array.from({ length: MODELS }, (_, i) => `model_${i}`);
  const before = settledRss();
  const loads: number[] = [];
  const invokes: number[] = [];
  const unloads: number[] = [];
  for (const [i, name] of names.entries()) loads.push(await load(name, i));
  for (const name of names) invokes.push(await invoke(name));
  const loaded = settledRss();
  for (const name of names) unloads.push(await unload(name));
  const after = settledRss();
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });

  const row = (step: string, ms: number[]) => `| ${step} | ${median(ms).toFixed(2)} ms | ${Math.max(...ms).toFixed(2)} ms |`;
  console.log(`${MODELS} models, 1 inference worker, Node ${process.version}, ${os.cpus().length} cores`);
  console.log('| step | median | max |\n|---|---|---|');
  console.log([row('load (POST /models)', loads), row('first invoke', invokes), row('unload (DELETE)', unloads)].join('\n'));
  console.log(`RSS per loaded model: ${((loaded - before) / MODELS / 1024).toFixed(0)} KB; after unloading all: ${((after - before) / MB).toFixed(1)} MB above the start`);
}

void main();
