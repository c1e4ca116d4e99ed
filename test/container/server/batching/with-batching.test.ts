import type { LoadedModel } from '../../../../container/engine/engine';
import { InvalidArgumentError, UnavailableError } from '../../../../container/errors';
import type { NamedTensors, Tensor } from '../../../../container/formats/tensor';
import { QUEUE_FULL_MESSAGE, withBatching, type BatchClock, type BatchingOptions } from '../../../../container/server/batching/with-batching';
import { FakeModel } from '../fake-model';

/** Time passes only when the test says so. */
class ManualClock implements BatchClock {
  private readonly timers = new Map<number, { callback: () => void; ms: number }>();
  private next = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.timers.set(++this.next, { callback, ms });
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.ms);
  }
  /** Every batch timeout expires. */
  elapse(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const timer of due) timer.callback();
  }
}

/** Runs stay in flight until the test releases them; every call is recorded. */
class HeldModel extends FakeModel {
  readonly held: (() => void)[] = [];
  override async run(signatureKey: string, inputs: NamedTensors): Promise<NamedTensors> {
    await new Promise<void>((resolve) => this.held.push(resolve));
    return super.run(signatureKey, inputs);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const x = (...rows: number[][]): NamedTensors => ({ x: { dtype: 'float32', shape: [rows.length, rows[0].length], values: Float32Array.from(rows.flat()) } });
const values = (outputs: NamedTensors, key = 'y') => Array.from(outputs[key].values as Float32Array);
const options = (overrides: Partial<BatchingOptions> = {}): BatchingOptions => ({
  maxBatchSize: 8,
  batchTimeoutMicros: 1000,
  numBatchThreads: 2,
  maxEnqueuedBatches: 4,
  ...overrides,
});

describe('withBatching', () => {
  it('merges requests into one model run and gives each request exactly its own rows', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const answers = [batched.run('serving_default', x([1])), batched.run('serving_default', x([2], [4])), batched.run('serving_default', x([6]))];
    await settle();
    expect(model.runs).toHaveLength(0);
    expect(clock.pending).toEqual([1]); // 1000 µs
    clock.elapse();
    const [a, b, c] = await Promise.all(answers);
    expect(model.runs).toHaveLength(1);
    expect(model.runs[0].inputs.x.shape).toEqual([4, 1]);
    expect(Array.from(model.runs[0].inputs.x.values as Float32Array)).toEqual([1, 2, 4, 6]);
    expect([a.y.shape, values(a)]).toEqual([[1, 1], [3.5]]);
    expect([b.y.shape, values(b)]).toEqual([[2, 1], [4, 5]]);
    expect([c.y.shape, values(c)]).toEqual([[1, 1], [6]]);
  });

  it('closes a batch when it reaches max_batch_size; a request that would overflow starts the next one', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options({ maxBatchSize: 3 }), clock);
    const first = batched.run('serving_default', x([1], [2]));
    const overflowing = batched.run('serving_default', x([3], [4]));
    await first;
    expect(model.runs.map((run) => run.inputs.x.shape[0])).toEqual([2]);
    const filling = batched.run('serving_default', x([5]));
    expect(values(await overflowing)).toEqual([4.5, 5]);
    expect(values(await filling)).toEqual([5.5]);
    expect(model.runs.map((run) => run.inputs.x.shape[0])).toEqual([2, 3]);
    expect(clock.pending).toEqual([]);
  });

  it('never merges requests of different signatures, trailing dims or dtypes', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const twoInputs: NamedTensors = {
      a: { dtype: 'float32', shape: [1], values: Float32Array.of(1) },
      b: { dtype: 'int64', shape: [1], values: BigInt64Array.of(7n) },
    };
    const float64: NamedTensors = { x: { dtype: 'float64', shape: [1, 1], values: Float64Array.of(2) } };
    const answers = Promise.all([
      batched.run('serving_default', x([1])),
      batched.run('serving_default', x([1, 2])),
      batched.run('serving_default', float64),
      batched.run('two_inputs', twoInputs),
      batched.run('serving_default', x([3])),
    ]);
    clock.elapse();
    const [one, wide, , two, three] = await answers;
    expect(model.runs.map((run) => [run.signature, run.inputs.x?.dtype, run.inputs.x?.shape ?? run.inputs.a.shape])).toEqual([
      ['serving_default', 'float32', [2, 1]],
      ['serving_default', 'float32', [1, 2]],
      ['serving_default', 'float64', [1, 1]],
      ['two_inputs', undefined, [1]],
    ]);
    expect([values(one), values(three), values(wide)]).toEqual([[3.5], [4.5], [3.5, 4]]);
    expect(two.b_next.values).toEqual(BigInt64Array.of(8n));
  });

  it('runs a request larger than max_batch_size, or with a scalar input, alone and at once', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options({ maxBatchSize: 2 }), clock);
    const large = await batched.run('serving_default', x([1], [2], [3]));
    const scalar = await batched.run('serving_default', { x: { dtype: 'float32', shape: [], values: Float32Array.of(4) } });
    expect([values(large), values(scalar)]).toEqual([[3.5, 4, 4.5], [5]]);
    expect(model.runs).toHaveLength(2);
  });

  it('runs at most num_batch_threads batches at once', async () => {
    const model = new HeldModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options({ maxBatchSize: 1, numBatchThreads: 1 }), clock);
    const answers = Promise.all([batched.run('serving_default', x([1])), batched.run('serving_default', x([2]))]);
    await settle();
    expect(model.held).toHaveLength(1);
    model.held[0]();
    await settle();
    expect(model.held).toHaveLength(2);
    model.held[1]();
    expect((await answers).map((answer) => values(answer))).toEqual([[3.5], [4]]);
  });

  it('answers 503 with TF Serving message when max_enqueued_batches batches are waiting', async () => {
    const model = new HeldModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options({ numBatchThreads: 1, maxEnqueuedBatches: 1 }), clock);
    const running = batched.run('serving_default', x([1]));
    clock.elapse();
    await settle();
    const queued = batched.run('serving_default', x([2]));
    const joining = batched.run('serving_default', x([3])); // joins the open batch: no new batch needed
    const refused = batched.run('serving_default', x([1, 2])); // would need a second waiting batch
    await expect(refused).rejects.toThrow(new UnavailableError(QUEUE_FULL_MESSAGE));
    await expect(refused).rejects.toMatchObject({ status: 503 });
    model.held[0]();
    clock.elapse();
    await settle();
    model.held[1]();
    expect((await Promise.all([running, queued, joining])).map((answer) => values(answer))).toEqual([[3.5], [4], [4.5]]);
  });

  it('fails only the bad request when a merged run fails: the members run again one by one', async () => {
    const model = new (class extends FakeModel {
      override async run(signatureKey: string, inputs: NamedTensors): Promise<NamedTensors> {
        const bad = Array.from(inputs.x.values as Float32Array).some(Number.isNaN);
        if (bad) {
          this.runs.push({ signature: signatureKey, inputs });
          throw new InvalidArgumentError('x holds NaN');
        }
        return super.run(signatureKey, inputs);
      }
    })();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const answers = [x([1]), x([NaN]), x([5])].map((inputs) => batched.run('serving_default', inputs));
    clock.elapse();
    const [good, bad, alsoGood] = await Promise.allSettled(answers);
    expect(good).toMatchObject({ status: 'fulfilled' });
    expect(values((good as PromiseFulfilledResult<NamedTensors>).value)).toEqual([3.5]);
    expect(values((alsoGood as PromiseFulfilledResult<NamedTensors>).value)).toEqual([5.5]);
    expect(bad).toMatchObject({ status: 'rejected', reason: new InvalidArgumentError('x holds NaN') });
    expect(model.runs.map((run) => run.inputs.x.shape[0])).toEqual([3, 1, 1, 1]);
  });

  it('runs the members one by one when an output has no batch dimension to share out', async () => {
    const sum = (tensor: Tensor) => (tensor.values as Float32Array).reduce((total, value) => total + value, 0);
    const model = new (class extends FakeModel {
      override async run(signatureKey: string, inputs: NamedTensors): Promise<NamedTensors> {
        this.runs.push({ signature: signatureKey, inputs });
        return { total: { dtype: 'float32', shape: [], values: Float32Array.of(sum(inputs.x)) } };
      }
    })();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const answers = Promise.all([batched.run('serving_default', x([1], [2])), batched.run('serving_default', x([10]))]);
    clock.elapse();
    expect((await answers).map((answer) => values(answer, 'total'))).toEqual([[3], [10]]);
    expect(model.runs.map((run) => run.inputs.x.shape[0])).toEqual([3, 2, 1]);
  });

  it('drops a request aborted before its batch runs', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const client = new AbortController();
    const leaving = batched.run('serving_default', x([1]), { signal: client.signal });
    const staying = batched.run('serving_default', x([2]));
    client.abort(new Error('client gone'));
    await expect(leaving).rejects.toThrow('client gone');
    clock.elapse();
    expect(values(await staying)).toEqual([4]);
    expect(model.runs.map((run) => Array.from(run.inputs.x.values as Float32Array))).toEqual([[2]]);
  });

  it('drops a batch whose every request was aborted, and rejects what is queued when disposed', async () => {
    const model = new FakeModel();
    const clock = new ManualClock();
    const batched = withBatching(model, options(), clock);
    const client = new AbortController();
    const leaving = batched.run('serving_default', x([1]), { signal: client.signal });
    client.abort(new Error('client gone'));
    await expect(leaving).rejects.toThrow('client gone');
    expect(clock.pending).toEqual([]);
    const queued = batched.run('serving_default', x([2]));
    batched.dispose();
    await expect(queued).rejects.toThrow(new UnavailableError('the model was unloaded before this request ran'));
    expect([model.runs, model.disposed]).toEqual([[], true]);
  });
});
