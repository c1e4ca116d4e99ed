/**
 * Starting and stopping the servers bench/http.ts compares, each in its own child process on 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as os from 'node:os';
import { stopChild } from '../../transform/runner/stop-child';

export interface RunningServer {
  url: string;
  /** What the server said about itself when it became ready (engine, pid, …). */
  note: string;
  stop(): Promise<void>;
}

export type StartResult = RunningServer | { skipped: string };

const READY_WAIT_MS = 30_000;

/**
 * As in the serving contract's Part C baselines: on a machine with two or more cores, every server runs on CPU 0 and
 * the load generator (this process, see pinLoadGenerator) on CPU 1, so that the client does not steal the server's
 * core. `taskset` is util-linux; without it nothing is pinned.
 */
const canPin = os.availableParallelism() >= 2 && spawnSync('taskset', ['--version']).status === 0;
const SERVER_CPU = canPin ? '0' : undefined;

/** Pins this process (autocannon runs in it) to CPU 1; returns what was done, for the report. */
export function pinLoadGenerator(): string {
  if (!canPin) return 'not pinned (needs taskset and 2 CPUs)';
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
  return 'servers on CPU 0, autocannon on CPU 1';
}
const STOP_WAIT_MS = 5_000;

/**
 * Spawns `command` (which must listen on 127.0.0.1:`port`) and resolves once it answers HTTP at all. The JSON lines
 * it printed until then (tfserve's pino log, the bare server's ready line) go to `describe`; later output is drained
 * unread, since a full pipe would block the server.
 */
export function startServerProcess(
  command: string,
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv,
  describe: (lines: Record<string, unknown>[]) => string,
): Promise<RunningServer> {
  const pinned = SERVER_CPU === undefined ? [command, ...args] : ['taskset', '-c', SERVER_CPU, command, ...args];
  const child = spawn(pinned[0], pinned.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    const deadline = Date.now() + READY_WAIT_MS;
    const poll = async () => {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await stopChild(child, STOP_WAIT_MS);
        reject(new Error(`${command} ${args.join(' ')} did not answer on ${url}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
      } else if (await ready(url)) {
        for (const line of output.split('\n')) {
          const entry = parseLine(line);
          if (entry) lines.push(entry);
        }
        output = '';
        child.stdout.off('data', collect).resume();
        child.stderr.off('data', collect).resume();
        resolve({ url, note: describe(lines), stop: () => stopChild(child, STOP_WAIT_MS) });
      } else {
        setTimeout(poll, 100);
      }
    };
    void poll();
  });
}

/**
 * gunicorn serving `module:app` from `dir` with `workers` single-threaded gthread workers, or why it cannot run.
 * gthread rather than sync: sync workers close the connection after every response, and autocannon keeps writing
 * the next request on the closing socket and then pairs later responses with those lost requests (wrong latencies,
 * timeouts). gthread keeps connections alive and, with one thread, still runs one request at a time per worker.
 * With TFSERVE_BENCH_APT=1, as root, a missing gunicorn is installed from Debian (gunicorn, python3-flask).
 */
export async function startGunicorn(dir: string, app: string, workers: number, env: NodeJS.ProcessEnv): Promise<StartResult> {
  const missing = gunicornMissing();
  if (missing) {
    if (env.TFSERVE_BENCH_APT !== '1' || process.getuid?.() !== 0) {
      return { skipped: `${missing}; install the Debian packages gunicorn and python3-flask, or run as root with TFSERVE_BENCH_APT=1` };
    }
    const install = spawnSync('apt-get', ['install', '-y', 'gunicorn', 'python3-flask'], { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (install.status !== 0) return { skipped: `apt-get install gunicorn python3-flask failed (exit ${install.status})` };
  }
  const port = await freePort();
  const args = ['--worker-class', 'gthread', '--threads', '1', '--workers', String(workers), '--bind', `127.0.0.1:${port}`, '--chdir', dir, app];
  return startServerProcess('gunicorn', args, port, env, () => `gunicorn ${gunicornVersion()}, ${workers} gthread workers × 1 thread`);
}

function gunicornMissing(): string | undefined {
  const probe = spawnSync('gunicorn', ['--version']);
  return probe.error ? `gunicorn not found (${probe.error.message})` : undefined;
}

function gunicornVersion(): string {
  return spawnSync('gunicorn', ['--version']).stdout.toString().trim().replace(/^gunicorn \(version (.*)\)$/, '$1');
}

/** GET /ping answers 200: the container listens before its models load and answers 503 until they have. */
async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}


function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
