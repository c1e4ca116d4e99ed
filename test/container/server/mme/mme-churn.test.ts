import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { typescriptBootstrap } from '../../../../container/server/workers/worker-script';

/**
 * SageMaker loads and unloads models all day on a multi-model endpoint: 1,000 load → invoke → unload cycles through
 * the worker pool must leave nothing behind. RSS may grow while the heaps warm up; after that it levels off.
 * Measured in a fresh process: jest reuses its worker processes across suites, and what earlier suites leave there
 * (servers, pools, native allocations) moved this process's RSS by tens of MB.
 */

const CYCLES = 1000;
const WARM_UP = 200;
/**
 * Allowed growth from the end of the warm-up to the end (measured on the 2-core VM: RSS +10 MB, heap +1 MB): a
 * model, registry or pipeline left behind on every cycle accumulates over 800 cycles.
 */
const RSS_LEVEL_MB = 32;
const HEAP_LEVEL_MB = 8;

interface ChurnReport {
  warm: { rss: number; heapUsed: number };
  end: { rss: number; heapUsed: number };
  wrong?: string;
  remaining: unknown;
}

it(`runs ${CYCLES} load/invoke/unload cycles with RSS levelling off`, async () => {
  const bootstrap = typescriptBootstrap(require.resolve('typescript'), path.join(__dirname, 'churn-process.ts'));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', bootstrap, String(CYCLES), String(WARM_UP)], {
    timeout: 90_000,
  });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChurnReport;
  expect(report.wrong).toBeUndefined();
  expect(report.remaining).toEqual({ models: [] });
  expect(report.end.rss - report.warm.rss).toBeLessThan(RSS_LEVEL_MB);
  expect(report.end.heapUsed - report.warm.heapUsed).toBeLessThan(HEAP_LEVEL_MB);
}, 120_000);
