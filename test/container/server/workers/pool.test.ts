import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { LoadedModel } from '../../../../container/engine/engine';
import { writeLinearModel } from '../../../../container/engine/writer/linear-model';
import { DeadlineExceededError, InvalidArgumentError, NotFoundError } from '../../../../container/errors';
import { encodeExample } from '../../../../container/formats/example';
import { WorkerPool, type WorkerPoolOptions } from '../../../../container/server/workers/pool';
import { f32, plain, strings } from '../../../support/tensors';

const silent = pino({ level: 'silent' });
const heldLoader = path.join(__dirname, 'held-model-loader.ts');

function poolOptions(overrides: Partial<WorkerPoolOptions> = {}): WorkerPoolOptions {
  return { size: 2, env: { TFSERVE_ENGINE: 'pure' }, inferenceTimeoutSeconds: 60, logger: silent, ...overrides };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('WorkerPool on a real model', () => {
  let dir: string;
  let pool: WorkerPool;
  let model: LoadedModel;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-pool-'));
    writeLinearModel(dir);
    pool = await WorkerPool.start(poolOptions());
    model = await pool.load(dir);
  });

  afterAll(async () => {
    await pool.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the model in every worker and describes it from there', () => {
    expect(pool.stats()).toEqual({ workers: 2, busy: 0, queued: 0 });
    expect(model.engine).toBe('pure');
    expect(model.tags).toEqual(['serve']);
    expect(Object.keys(model.signatures)).toContain('serving_default');
    expect(model.signatures.serving_default.inputs.x.dtype).toBe('float32');
  });

  it('runs calls in the workers, many at once, with exact results', async () => {
    const results = await Promise.all([1, 2, 5, 7].map((x) => model.run('serving_default', { x: f32([x, -x]) })));
    expect(results.map((r) => plain(r.y).values)).toEqual([[3.5, 2.5], [4, 2], [5.5, 0.5], [6.5, -0.5]]);
  });

  it('sends a view of a larger buffer without sending the rest, and leaves the caller its tensor', async () => {
    const backing = new Float32Array([9, 1, 2, 9]);
    const x = { dtype: 'float32' as const, shape: [2], values: backing.subarray(1, 3) };
    expect(plain((await model.run('serving_default', { x })).y).values).toEqual([3.5, 4]);
    expect(Array.from(x.values)).toEqual([1, 2]);
  });

  it('carries string tensors: serialized tf.Examples to the regress signature', async () => {
    const inputs = strings([1, 2, 5].map((x) => encodeExample({ x: { kind: 'float', values: [x] } })));
    const outputs = await model.run('tensorflow/serving/regress', { inputs });
    expect(plain(outputs.outputs)).toEqual({ dtype: 'float32', shape: [3, 1], values: [3.5, 4, 5.5] });
  });

  it('rejects with the error class the worker threw, so the status survives', async () => {
    const missing = model.run('nope', { x: f32([1]) });
    await expect(missing).rejects.toThrow(new NotFoundError('Serving signature name: "nope" not found in signature def'));
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    const unknownInput = model.run('serving_default', { z: f32([1]) });
    await expect(unknownInput).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(unknownInput).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a load with the error the workers met', async () => {
    await expect(pool.load(path.join(dir, 'variables'))).rejects.toThrow(/saved_model\.pb/);
    expect(pool.stats().workers).toBe(2);
  });
});

describe('WorkerPool call control', () => {
  let dir: string;
  let pool: WorkerPool;
  let model: LoadedModel;
  const hold = () => fs.writeFileSync(path.join(dir, 'hold'), '');
  const release = () => fs.rmSync(path.join(dir, 'hold'), { force: true });
  const runsStarted = () => fs.readFileSync(path.join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-pool-held-'));
    fs.writeFileSync(path.join(dir, 'runs.log'), '');
    pool = await WorkerPool.start(poolOptions({ size: 1, loaderModule: heldLoader, inferenceTimeoutSeconds: 0.5, pipelineDepth: 1 }));
    model = await pool.load(dir);
  });

  afterEach(async () => {
    release();
    await pool.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects at once, running nothing, when the signal is already aborted', async () => {
    const reason = new Error('client gone');
    await expect(model.run('serving_default', { x: f32([1]) }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(runsStarted()).toEqual([]);
  });

  it('with pipeline depth 1, drops a queued call that is aborted: no worker ever starts it', async () => {
    hold();
    const first = model.run('serving_default', { x: f32([1]) });
    const controller = new AbortController();
    const second = model.run('two_inputs', { a: f32([1]), b: { dtype: 'int64', shape: [1], values: BigInt64Array.of(1n) } }, { signal: controller.signal });
    await until(() => pool.stats().queued === 1);
    controller.abort(new Error('client gone'));
    await expect(second).rejects.toThrow('client gone');
    expect(pool.stats().queued).toBe(0);
    release();
    expect(plain((await first).y).values).toEqual([3.5]);
    expect(runsStarted()).toEqual(['serving_default']);
  });

  it('rejects a running call as soon as it is aborted, discards its result, and goes on with the next', async () => {
    hold();
    const controller = new AbortController();
    const running = model.run('serving_default', { x: f32([1]) }, { signal: controller.signal });
    await until(() => runsStarted().length === 1);
    controller.abort(new Error('client gone'));
    await expect(running).rejects.toThrow('client gone');
    expect(pool.stats().busy).toBe(1); // the worker is still computing
    release();
    expect(plain((await model.run('serving_default', { x: f32([2]) })).y).values).toEqual([4]);
  });

  it('rejects with 504 naming TFSERVE_INFERENCE_TIMEOUT_SECONDS when the model takes too long', async () => {
    hold();
    const slow = model.run('serving_default', { x: f32([1]) });
    await expect(slow).rejects.toThrow(
      new DeadlineExceededError(
        'the model did not answer within 0.5 s (TFSERVE_INFERENCE_TIMEOUT_SECONDS); set it higher for longer inferences',
      ),
    );
    await expect(slow).rejects.toMatchObject({ status: 504 });
  });

  it('replaces a worker that dies, with the models reloaded, and fails only the call it was running', async () => {
    await expect(model.run('exit', {})).rejects.toThrow('the inference worker running this call stopped (exit code 3)');
    // the replacement joins once it has reloaded the models; on a busy machine that can outlast this suite's 0.5 s
    // inference timeout, which a call queued meanwhile would hit
    await until(() => pool.stats().workers === 1);
    expect(plain((await model.run('serving_default', { x: f32([2]) })).y).values).toEqual([4]);
    expect(pool.stats()).toEqual({ workers: 1, busy: 0, queued: 0 });
  });

  it('keeps plain errors from the model as errors with their message (500)', async () => {
    await expect(model.run('broken', { x: f32([1], []) })).rejects.toThrow(new Error('kernel exploded'));
  });
});
