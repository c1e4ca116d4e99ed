/**
 * Server-side batching on the project's CNN (input `images` [-1,32,32,3]), one image per request, in one run:
 *
 * - the container (`tfserve serve`, pure engine, in a child process) with SAGEMAKER_TFS_ENABLE_BATCHING=true and
 *   without, at c=1, 16 and 64;
 * - the engine alone (PureEngine.run, in this process) at batch 1 and at max_batch_size: the most batching can reach.
 *
 *   npx tsc && node dist/bench/batching.js      (about 60 s; TFSERVE_BENCH_SECONDS per measurement, default 5)
 *
 * Servers run as in bench/http.ts (bench/http/servers.ts: child process, pinned to CPU 0 when possible, autocannon
 * here). The queue is raised (SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES) so that c=64 is queued, not refused: with the
 * default (the core count) a burst larger than (threads + queue) × max_batch_size is answered 503, as in TF Serving.
 * Prints a table and the goals; asserts nothing.
 */
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PureEngine } from '../container/engine/pure-engine';
import { CNN_SIGNATURE, cnnImages, writeCnnModel } from '../container/engine/writer/cnn-model';
import { freePort, pinLoadGenerator, startServerProcess } from './http/servers';
import { percentile } from './percentile';

const REPO = path.resolve(__dirname, '..', '..');
const SECONDS = Number(process.env.TFSERVE_BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
const CONNECTIONS = [1, 16, 64];
const MAX_BATCH_SIZE = 8;
const BATCH_TIMEOUT_MICROS = 1000;
const ENGINE_SERIES_MS = 3000;
const BATCHING_ENV = {
  SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
  SAGEMAKER_TFS_MAX_BATCH_SIZE: String(MAX_BATCH_SIZE),
  SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: String(BATCH_TIMEOUT_MICROS),
  SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES: '64',
};

interface Measurement {
  imagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, connection errors and timeouts. */
  failed: number;
}


/** One image as TF Serving JSON: {"instances": [32×32×3 nested lists]}. */
function imageBody(): string {
  const { values, shape } = cnnImages(1);
  const [height, width, channels] = shape.slice(1);
  const pixel = (y: number, x: number) => Array.from(values.subarray((y * width + x) * channels, (y * width + x + 1) * channels), (v) => Number(v.toFixed(4)));
  const image = Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => pixel(y, x)));
  return JSON.stringify({ instances: [image] });
}

/** One autocannon run; percentiles from every 2xx response time. */
function measure(url: string, body: string, connections: number, seconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}/invocations`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({ imagesPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), failed: result.non2xx + result.errors });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

async function measureServer(root: string, body: string, extraEnv: NodeJS.ProcessEnv): Promise<Map<number, Measurement>> {
  const port = await freePort();
  const env = { ...process.env, TFSERVE_ENGINE: 'pure', TFSERVE_LOG_LEVEL: 'warn', ...extraEnv };
  const args = [path.join(REPO, 'dist', 'bin', 'tfserve.js'), 'serve', '--model-dir', root, '--port', String(port), '--host', '127.0.0.1'];
  const server = await startServerProcess(process.execPath, args, port, env, () => '');
  try {
    await measure(server.url, body, 16, WARMUP_SECONDS);
    const results = new Map<number, Measurement>();
    for (const connections of CONNECTIONS) results.set(connections, await measure(server.url, body, connections, SECONDS));
    return results;
  } finally {
    await server.stop();
  }
}

/** PureEngine.run back to back at one batch size, for a few seconds after a warm-up. */
async function measureEngine(modelDir: string, batch: number): Promise<Measurement> {
  const model = await new PureEngine().load(modelDir);
  const inputs = { [CNN_SIGNATURE.input]: cnnImages(batch) };
  try {
    for (let i = 0; i < 10; i++) await model.run(CNN_SIGNATURE.key, inputs);
    const times: number[] = [];
    const started = performance.now();
    while (performance.now() - started < ENGINE_SERIES_MS) {
      const t0 = performance.now();
      await model.run(CNN_SIGNATURE.key, inputs);
      times.push(performance.now() - t0);
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return { imagesPerSecond: (times.length * batch) / elapsedSeconds, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), failed: 0 };
  } finally {
    model.dispose();
  }
}

function printRow(name: string, label: string, m: Measurement): void {
  const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);
  console.log(`${name.padEnd(14)} | ${label.padEnd(8)} | ${m.imagesPerSecond.toFixed(0).padStart(8)} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${m.failed}`);
}

function goal(label: string, value: number, limit: number, atLeast: boolean): void {
  const met = atLeast ? value >= limit : value <= limit;
  console.log(`${label}: ${value.toFixed(2)} (goal ${atLeast ? '≥' : '≤'} ${limit.toFixed(2)}: ${met ? 'met' : 'NOT met'})`);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-batching-'));
  const modelDir = path.join(root, 'cnn', '1');
  writeCnnModel(modelDir);
  const body = imageBody();
  const pinning = pinLoadGenerator();
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${pinning}), ${SECONDS} s per measurement, one image per request (${body.length} bytes)`);
  console.log(`batching on: ${Object.entries(BATCHING_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  try {
    const off = await measureServer(root, body, {});
    const on = await measureServer(root, body, BATCHING_ENV);
    const engineOne = await measureEngine(modelDir, 1);
    const engineMax = await measureEngine(modelDir, MAX_BATCH_SIZE);

    console.log('');
    console.log('run            | load     | images/s | p50        | p99        | failed');
    console.log('---------------|----------|----------|------------|------------|-------');
    for (const [name, results] of [['batching off', off], ['batching on', on]] as const) {
      for (const [connections, m] of results) printRow(name, `c=${connections}`, m);
    }
    printRow('engine alone', 'batch 1', engineOne);
    printRow('engine alone', `batch ${MAX_BATCH_SIZE}`, engineMax);

    console.log('');
    const on64 = on.get(64)!;
    goal(`c=64 batching on / engine alone at batch ${MAX_BATCH_SIZE} (images/s)`, on64.imagesPerSecond / engineMax.imagesPerSecond, 0.8, true);
    goal('c=64 batching on / batching off (images/s)', on64.imagesPerSecond / off.get(64)!.imagesPerSecond, 1, true);
    // Batching's cost at low load: a lone request waits out the batch timeout.
    const single = off.get(1)!.p50Ms;
    goal(`c=1 batching on p99 ms (2 × single-request p50 ${single.toFixed(2)} ms + timeout)`, on.get(1)!.p99Ms, 2 * single + BATCH_TIMEOUT_MICROS / 1000, false);
    // The same, like for like: the tail of a lone request with batching against its tail without.
    const singleTail = off.get(1)!.p99Ms;
    goal(`c=1 batching on p99 ms (2 × single-request p99 ${singleTail.toFixed(2)} ms + timeout)`, on.get(1)!.p99Ms, 2 * singleTail + BATCH_TIMEOUT_MICROS / 1000, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
