import type { LoadedModel } from '../../engine/engine';
import { DeadlineExceededError, UnavailableError } from '../../errors';
import type { NamedTensors } from '../../formats/tensor';
import { concatInputs, mergeKey, rowsOf, sliceRows, splittable } from './batch-tensors';

/**
 * Server-side batching (TF Serving's --enable_batching, serving contract B9) as a LoadedModel wrapper, so that it sits
 * where every request reaches the model: after hooks and request parsing, before the worker pool.
 *
 * Requests that can be merged (same signature, input keys, dtypes and trailing dims) gather in an open batch until
 * it holds maxBatchSize rows or batchTimeoutMicros have passed since its first request; the batch then waits for one
 * of numBatchThreads slots and runs once, and each request gets its own rows of every output back.
 */

export interface BatchingOptions {
  maxBatchSize: number;
  batchTimeoutMicros: number;
  /** How many batches run at once. */
  numBatchThreads: number;
  /** Batches accepted but not yet running (open or closed), as TF Serving counts them; past it a request gets 503. */
  maxEnqueuedBatches: number;
}

/** The timer a batch closes by; injectable so that tests decide when time passes. */
export interface BatchClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: BatchClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** TF Serving's message when the batch queue is full. */
export const QUEUE_FULL_MESSAGE = 'The batch scheduling queue to which this task was submitted is full';

interface Task {
  inputs: NamedTensors;
  rows: number;
  signal?: AbortSignal;
  settled: boolean;
  resolve(outputs: NamedTensors): void;
  reject(error: unknown): void;
}

interface Batch {
  /** undefined: a request that runs alone (not mergeable, or more rows than maxBatchSize). */
  key?: string;
  signatureKey: string;
  tasks: Task[];
  rows: number;
  state: 'open' | 'waiting' | 'running';
  timer?: unknown;
  /** Aborts the merged run once every member has gone. */
  controller?: AbortController;
}

export function withBatching(model: LoadedModel, options: BatchingOptions, clock: BatchClock = systemClock): LoadedModel {
  const scheduler = new BatchScheduler(model, options, clock);
  return {
    engine: model.engine,
    tags: model.tags,
    signatures: model.signatures,
    run: (signatureKey, inputs, runOptions) => scheduler.submit(signatureKey, inputs, runOptions?.signal),
    dispose: () => {
      scheduler.dispose();
      model.dispose();
    },
  };
}

class BatchScheduler {
  private readonly open = new Map<string, Batch>();
  private readonly waiting: Batch[] = [];
  private running = 0;

  constructor(
    private readonly model: LoadedModel,
    private readonly options: BatchingOptions,
    private readonly clock: BatchClock,
  ) {}

  submit(signatureKey: string, inputs: NamedTensors, signal?: AbortSignal): Promise<NamedTensors> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const rows = rowsOf(inputs);
    const key = rows !== undefined && rows <= this.options.maxBatchSize ? mergeKey(signatureKey, inputs) : undefined;
    return new Promise((resolve, reject) => {
      let onAbort = () => {};
      const settle = () => {
        task.settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const task: Task = {
        inputs,
        rows: rows ?? 0,
        signal,
        settled: false,
        resolve: (outputs) => task.settled || (settle(), resolve(outputs)),
        reject: (error) => task.settled || (settle(), reject(error)),
      };
      const batch = this.batchFor(key, signatureKey, task.rows);
      if (!batch) return reject(new UnavailableError(QUEUE_FULL_MESSAGE));
      onAbort = () => this.abandon(task, batch);
      signal?.addEventListener('abort', onAbort, { once: true });
      batch.tasks.push(task);
      batch.rows += task.rows;
      if (key === undefined || batch.rows >= this.options.maxBatchSize) this.close(batch);
    });
  }

  /** Rejects every request not yet running: the model is being unloaded. */
  dispose(): void {
    const pending = [...this.open.values(), ...this.waiting.splice(0)];
    this.open.clear();
    for (const batch of pending) {
      this.clock.clearTimeout(batch.timer);
      for (const task of batch.tasks) task.reject(new UnavailableError('the model was unloaded before this request ran'));
    }
  }

  /** The open batch the request joins, a new one, or undefined when no new batch may be enqueued. */
  private batchFor(key: string | undefined, signatureKey: string, rows: number): Batch | undefined {
    const current = key === undefined ? undefined : this.open.get(key);
    if (current && current.rows + rows <= this.options.maxBatchSize) return current;
    if (this.open.size + this.waiting.length >= this.options.maxEnqueuedBatches) return undefined;
    if (current) this.close(current);
    const batch: Batch = { key, signatureKey, tasks: [], rows: 0, state: 'open' };
    if (key !== undefined) {
      this.open.set(key, batch);
      batch.timer = this.clock.setTimeout(() => this.close(batch), this.options.batchTimeoutMicros / 1000);
    }
    return batch;
  }

  private close(batch: Batch): void {
    if (batch.state !== 'open') return;
    this.clock.clearTimeout(batch.timer);
    if (batch.key !== undefined) this.open.delete(batch.key);
    batch.state = 'waiting';
    this.waiting.push(batch);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.running < this.options.numBatchThreads && this.waiting.length > 0) {
      const batch = this.waiting.shift() as Batch;
      batch.state = 'running';
      this.running += 1;
      void this.execute(batch).finally(() => {
        this.running -= 1;
        this.dispatch();
      });
    }
  }

  /** A request whose client left: out of its batch if that has not run yet; a running batch stops once all have left. */
  private abandon(task: Task, batch: Batch): void {
    task.reject(task.signal?.reason);
    if (batch.state === 'running') {
      if (batch.tasks.every((member) => member.settled)) batch.controller?.abort(task.signal?.reason);
      return;
    }
    batch.tasks.splice(batch.tasks.indexOf(task), 1);
    batch.rows -= task.rows;
    if (batch.tasks.length > 0) return;
    this.clock.clearTimeout(batch.timer);
    if (batch.state === 'open' && batch.key !== undefined) this.open.delete(batch.key);
    else this.waiting.splice(this.waiting.indexOf(batch), 1);
  }

  private async execute(batch: Batch): Promise<void> {
    const { tasks, signatureKey } = batch;
    if (tasks.length === 1) return this.runAlone(signatureKey, tasks[0]);
    batch.controller = new AbortController();
    try {
      const outputs = await this.model.run(signatureKey, concatInputs(tasks.map((task) => task.inputs)), { signal: batch.controller.signal });
      // An output without one row per input row (a scalar, a summary) cannot be shared out: run each request alone.
      if (splittable(outputs, batch.rows)) {
        let start = 0;
        for (const task of tasks) task.resolve(sliceRows(outputs, start, (start += task.rows)));
        return;
      }
    } catch (error) {
      if (batch.controller.signal.aborted) return;
      // Not the requests' fault: running them again would only wait as long again.
      if (error instanceof UnavailableError || error instanceof DeadlineExceededError) {
        for (const task of tasks) task.reject(error);
        return;
      }
      // Otherwise one bad request may have failed the batch: run each alone so that it fails by itself.
    }
    await Promise.all(tasks.filter((task) => !task.settled).map((task) => this.runAlone(signatureKey, task)));
  }

  private runAlone(signatureKey: string, task: Task): Promise<void> {
    return this.model.run(signatureKey, task.inputs, { signal: task.signal }).then(task.resolve, task.reject);
  }
}
