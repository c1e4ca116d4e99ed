/**
 * HTTP throughput and latency of the container against its limit and against the stack it replaces, side by side
 * in one run, on half_plus_three with `{"instances":[1,2,5]}`:
 *
 * - container: `tfserve serve` as the image runs it, with its defaults (and any TFSERVE_* variables set here);
 * - bare: node:http + the same TFS parser/formatter + the same engine, in-process (bench/http/bare-server.ts) —
 *   the limit for this model;
 * - flask: gunicorn with 2 single-thread gthread workers (servers.ts says why not sync workers) and a Flask app that
 *   parses and re-serialises the JSON, no model: the serving contract's Part C reference (bench/http/flask_echo.py).
 *   Skipped, with the reason, when gunicorn is missing.
 *
 *   npx tsc && node dist/bench/http.js        (about 40 s; TFSERVE_BENCH_SECONDS per measurement, default 5)
 *
 * autocannon runs here and every server in its own child process: an in-process server would share autocannon's
 * event loop and be measured with the load generator's cost added. No CPU pinning, so the load generator competes
 * with the servers for the same cores alike. Prints a table and the goals; asserts nothing.
 */
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeLinearModel } from '../container/engine/writer/linear-model';
import { freePort, pinLoadGenerator, startGunicorn, startServerProcess, type StartResult } from './http/servers';
import { percentile } from './percentile';

const REPO = path.resolve(__dirname, '..', '..');
const BODY = '{"instances":[1,2,5]}';
const CONNECTIONS = [1, 32];
const SECONDS = Number(process.env.TFSERVE_BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
const FLASK_WORKERS = 2;
const GOALS = { bare: 0.7, flask: 3 };

interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, connection errors and timeouts. */
  failed: number;
}

type Row = { name: string; note: string; results: Map<number, Measurement> } | { name: string; skipped: string };

/** One autocannon run; percentiles from every 2xx response time (autocannon's own histogram is in whole ms). */
function measure(url: string, connections: number, seconds: number): Promise<Measurement> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}/invocations`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, connections, duration: seconds },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({ requestsPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), failed: result.non2xx + result.errors });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

async function firstAnswer(url: string): Promise<string> {
  const response = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  return `${response.status} ${(await response.text()).replace(/\s+/g, '')}`;
}

async function run(name: string, start: () => Promise<StartResult>): Promise<Row> {
  let started: StartResult;
  try {
    started = await start();
  } catch (error) {
    return { name, skipped: (error as Error).message.split('\n')[0] };
  }
  if ('skipped' in started) return { name, skipped: started.skipped };
  try {
    const note = `${started.note}; first answer: ${await firstAnswer(started.url)}`;
    await measure(started.url, 32, WARMUP_SECONDS);
    const results = new Map<number, Measurement>();
    for (const connections of CONNECTIONS) results.set(connections, await measure(started.url, connections, SECONDS));
    return { name, note, results };
  } finally {
    await started.stop();
  }
}

/** The engine the container (its `model loaded` log line) or the bare server reported. */
const engineOf = (lines: Record<string, unknown>[]) => `engine ${lines.find((line) => line.engine !== undefined)?.engine ?? 'not logged'}`;

async function startNode(script: string, args: (port: number) => string[], env: NodeJS.ProcessEnv): Promise<StartResult> {
  const port = await freePort();
  return startServerProcess(process.execPath, [script, ...args(port)], port, env, engineOf);
}

function printTable(rows: Row[]): void {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log('server    | c  | req/s   | p50      | p99      | failed');
  console.log('----------|----|---------|----------|----------|-------');
  for (const row of rows) {
    if ('skipped' in row) {
      console.log(`${row.name.padEnd(9)} | skipped: ${row.skipped}`);
      continue;
    }
    for (const [connections, m] of row.results) {
      console.log(
        `${row.name.padEnd(9)} | ${String(connections).padEnd(2)} | ${m.requestsPerSecond.toFixed(0).padStart(7)} | ${ms(m.p50Ms).padStart(8)} | ${ms(m.p99Ms).padStart(8)} | ${m.failed}`,
      );
    }
  }
}

function printRatios(rows: Row[]): void {
  const measured = new Map(rows.flatMap((row) => ('results' in row ? [[row.name, row.results] as const] : [])));
  const container = measured.get('container');
  if (!container) return;
  console.log('');
  for (const [other, goal] of Object.entries(GOALS)) {
    const against = measured.get(other);
    for (const connections of CONNECTIONS) {
      const label = `container/${other} req/s at c=${connections}`;
      if (!against) {
        console.log(`${label}: n/a (${other} skipped)`);
        continue;
      }
      const ratio = container.get(connections)!.requestsPerSecond / against.get(connections)!.requestsPerSecond;
      console.log(`${label}: ${ratio.toFixed(2)}  (goal ≥ ${goal}: ${ratio >= goal ? 'met' : 'NOT met'})`);
    }
  }
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-http-'));
  const modelDir = path.join(root, 'half_plus_three', '1');
  writeLinearModel(modelDir);
  const env = { ...process.env };
  const pinning = pinLoadGenerator();
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${pinning}), ${SECONDS} s per measurement after ${WARMUP_SECONDS} s warm-up, body ${BODY}`);
  try {
    const rows = [
      await run('container', () =>
        startNode(path.join(REPO, 'dist', 'bin', 'tfserve.js'), (port) => ['serve', '--model-dir', root, '--port', String(port), '--host', '127.0.0.1'], env),
      ),
      await run('bare', () => startNode(path.join(__dirname, 'http', 'bare-server.js'), (port) => [modelDir, String(port)], env)),
      await run('flask', () => startGunicorn(path.join(REPO, 'bench', 'http'), 'flask_echo:app', FLASK_WORKERS, env)),
    ];
    for (const row of rows) if ('note' in row) console.log(`${row.name}: ${row.note}`);
    console.log('');
    printTable(rows);
    printRatios(rows);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
