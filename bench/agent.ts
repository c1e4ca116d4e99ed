/**
 * The Edge agent's Predict round trip against the same call through the HTTP container, in one run, on
 * half_plus_three (y = 0.5·x + 3) with float32 tensors of 4 KiB and 1 MiB:
 *
 * - agent: `tfserve agent` over its unix socket, the tensor as little-endian byte_data (what Edge clients send);
 * - http: `tfserve serve` on 127.0.0.1, the same values as TFS JSON `{"instances": [...]}` to /invocations.
 *
 *   npx tsc && node dist/bench/agent.js        (about 20 s; TFSERVE_BENCH_SECONDS per measurement, default 3)
 *
 * Both servers run in child processes (pinned to CPU 0 when taskset is there, this client to CPU 1); calls are
 * sequential, one in flight, so the figures are round-trip latency. Throughput counts the tensor's bytes one way.
 * Prints a table; asserts nothing.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadAgentService } from '../container/agent/agent-proto';
import { writeLinearModel } from '../container/engine/writer/linear-model';
import { freePort, pinLoadGenerator, startServerProcess } from './http/servers';
import { percentile } from './percentile';
import { stopChild } from '../transform/runner/stop-child';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'bin', 'tfserve.js');
const SECONDS = Number(process.env.TFSERVE_BENCH_SECONDS ?? 3);
const WARMUP_CALLS = 10;
const SIZES = [
  { label: '4 KiB', floats: 1024 },
  { label: '1 MiB', floats: 256 * 1024 },
];
const MESSAGE_LIMIT = 64 * 1024 * 1024;

type Call = (values: Float32Array) => Promise<number>; // answers the first output value, as a check

interface Measurement {
  calls: number;
  p50Ms: number;
  p99Ms: number;
  mibPerSecond: number;
  first: number;
}

async function measure(call: Call, values: Float32Array): Promise<Measurement> {
  let first = NaN;
  for (let i = 0; i < WARMUP_CALLS; i++) first = await call(values);
  const latencies: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    await call(values);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const total = latencies.reduce((a, b) => a + b, 0) / 1000;
  return { calls: latencies.length, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), mibPerSecond: (latencies.length * values.byteLength) / (1024 * 1024) / total, first };
}

async function startAgentProcess(socket: string): Promise<{ client: grpc.Client; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'agent', '-a', socket], { stdio: ['ignore', 'ignore', 'inherit'] });
  const Client = grpc.makeGenericClientConstructor(loadAgentService(), 'Agent');
  const client = new Client(`unix://${socket}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MESSAGE_LIMIT,
    'grpc.max_send_message_length': MESSAGE_LIMIT,
  });
  await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 30_000, (error) => (error ? reject(error) : resolve())));
  return {
    client,
    stop: () => {
      client.close();
      return stopChild(child, 10_000);
    },
  };
}

function unary(client: grpc.Client, rpc: string, request: object): Promise<Record<string, unknown>> {
  const method = (client as unknown as Record<string, (r: object, cb: (e: Error | null, v: Record<string, unknown>) => void) => void>)[rpc];
  return new Promise((resolve, reject) => method.call(client, request, (error, value) => (error ? reject(error) : resolve(value))));
}

function agentCall(client: grpc.Client): Call {
  return async (values) => {
    const request = {
      name: 'hp3',
      tensors: [{ tensor_metadata: { name: Buffer.from('x'), data_type: 'FLOAT32', shape: [values.length] }, byte_data: Buffer.from(values.buffer) }],
    };
    const { tensors } = (await unary(client, 'Predict', request)) as { tensors: { byte_data: Buffer }[] };
    return tensors[0].byte_data.readFloatLE(0);
  };
}

function httpCall(url: string): Call {
  return async (values) => {
    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: Array.from(values) }),
    });
    const { predictions } = (await response.json()) as { predictions: number[] };
    return predictions[0];
  };
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-agent-'));
  const modelDir = path.join(root, 'half_plus_three', '1');
  writeLinearModel(modelDir);
  console.log(`Node ${process.version}, ${os.cpus().length} CPUs (${pinLoadGenerator()}), ${SECONDS} s per measurement, sequential calls`);
  const agent = await startAgentProcess(path.join(root, 'agent.sock'));
  const port = await freePort();
  const http = await startServerProcess(process.execPath, [CLI, 'serve', '--model-dir', root, '--port', String(port), '--host', '127.0.0.1'], port, process.env, () => '');
  try {
    await unary(agent.client, 'LoadModel', { url: path.join(root, 'half_plus_three'), name: 'hp3' });
    console.log('');
    console.log('tensor | path                    | calls | p50       | p99       | MiB/s  | y[0]');
    console.log('-------|-------------------------|-------|-----------|-----------|--------|-----');
    for (const { label, floats } of SIZES) {
      const values = Float32Array.from({ length: floats }, (_, i) => i % 1000);
      const rows: [string, Call][] = [
        ['agent (unix, byte_data)', agentCall(agent.client)],
        ['http (TCP, JSON)', httpCall(http.url)],
      ];
      const results: Measurement[] = [];
      for (const [name, call] of rows) {
        const m = await measure(call, values);
        results.push(m);
        console.log(
          `${label.padEnd(6)} | ${name.padEnd(23)} | ${String(m.calls).padStart(5)} | ${m.p50Ms.toFixed(2).padStart(6)} ms | ${m.p99Ms.toFixed(2).padStart(6)} ms | ${m.mibPerSecond.toFixed(1).padStart(6)} | ${m.first}`,
        );
      }
      console.log(`${label.padEnd(6)} | agent/http p50 latency: ${(results[0].p50Ms / results[1].p50Ms).toFixed(2)}`);
    }
  } finally {
    await agent.stop();
    await http.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
