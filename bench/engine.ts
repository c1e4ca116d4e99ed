/**
 * Pure-engine speed on the project's CNN against the same network built directly with tfjs-layers, on the same
 * tfjs backend (the one the engine selects: wasm unless TFSERVE_BACKEND=cpu). Both sides include converting the
 * input and reading the output back. Prints a table; asserts nothing.
 *
 *   npx tsc && node dist/bench/engine.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { PureEngine } from '../container/engine/pure-engine';
import { buildLayersCnn, predictLayersCnn } from './cnn-layers';
import { CNN_SIGNATURE, cnnImages, cnnWeights, writeCnnModel } from '../container/engine/writer/cnn-model';

const WARMUP_RUNS = 20;
const RELOADS = 5;
const CASES = [
  { batch: 1, runs: 200 },
  { batch: 32, runs: 40 },
];
/** Per measured series, so that a slow backend (cpu) still finishes well within a minute. */
const SERIES_BUDGET_MS = 8000;

interface Timing {
  medianMs: number;
  runs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times two competitors in alternation (A, B, A, B, …) after a warm-up, so that JIT warm-up, GC and a busy
 * neighbour core weigh on both alike; medians of each.
 */
async function timePair(a: () => Promise<unknown> | unknown, b: () => Promise<unknown> | unknown, runs: number): Promise<[Timing, Timing]> {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  const started = performance.now();
  while (times[0].length < runs && performance.now() - started < SERIES_BUDGET_MS) {
    for (const [k, run] of [a, b].entries()) {
      const t0 = performance.now();
      await run();
      times[k].push(performance.now() - t0);
    }
  }
  return [
    { medianMs: median(times[0]), runs: times[0].length },
    { medianMs: median(times[1]), runs: times[1].length },
  ];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-bench-'));
  try {
    writeCnnModel(dir);
    const engine = new PureEngine();

    const firstStart = performance.now();
    const model = await engine.load(dir);
    const firstLoadMs = performance.now() - firstStart;
    const reloads: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      const t0 = performance.now();
      (await engine.load(dir)).dispose();
      reloads.push(performance.now() - t0);
    }

    const layers = buildLayersCnn(cnnWeights());
    console.log(`tfjs backend: ${tf.getBackend()}`);
    console.log(`model load: first ${ms(firstLoadMs)} (includes backend start), then median ${ms(median(reloads))} of ${RELOADS}`);
    console.log('');
    console.log('batch | pure engine (runs)   | tfjs-layers (runs)   | pure/layers');
    console.log('------|----------------------|----------------------|------------');
    for (const { batch, runs } of CASES) {
      const images = cnnImages(batch);
      const [pure, direct] = await timePair(
        () => model.run(CNN_SIGNATURE.key, { [CNN_SIGNATURE.input]: images }),
        () => predictLayersCnn(layers, images),
        runs,
      );
      const cell = (t: Timing) => `${ms(t.medianMs)} (${t.runs})`.padEnd(20);
      console.log(`${String(batch).padStart(5)} | ${cell(pure)} | ${cell(direct)} | ${(pure.medianMs / direct.medianMs).toFixed(2)}`);
    }
    layers.dispose();
    model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
