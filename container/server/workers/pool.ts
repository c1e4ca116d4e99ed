import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { LoadedModel, RunOptions, SignatureInfo } from '../../engine/engine';
import type { EngineDecision } from '../../engine/select-engine';
import { DeadlineExceededError, UnavailableError } from '../../errors';
import type { NamedTensors } from '../../formats/tensor';
import type { ModelLoader } from '../model-registry';
import {
  BatchedSender,
  deserializeError,
  packTensors,
  unpackTensors,
  type FromWorker,
  type LoadedModelInfo,
  type ToWorker,
  type WorkerData,
} from './protocol';
import { workerScript } from './worker-script';

/**
 * Inference off the main thread, so `/ping` and request parsing never wait for a model: `size` worker threads, each
 * holding every loaded model version. Calls wait in one queue and go to the worker with the fewest calls in flight,
 * up to `pipelineDepth` per worker: a worker then always has its next call at hand instead of waiting for a round
 * trip through the main thread after each one, which halved throughput on small models. A call aborted while
 * queued is dropped before any worker sees it; one aborted in flight is rejected at once and its result discarded.
 * A worker that dies is replaced and reloads every model.
 */

/** Calls one worker holds at once by default; it runs them one after another. */
const DEFAULT_PIPELINE_DEPTH = 8;

export interface WorkerPoolOptions {
  size: number;
  /** The workers' process.env: the engine reads TFSERVE_ENGINE and TFSERVE_BACKEND there. */
  env: NodeJS.ProcessEnv;
  /** Bound on a call, queueing included; past it the call rejects with 504. */
  inferenceTimeoutSeconds: number;
  /** Calls sent to one worker before it answers the first; default 8. 1 means a worker never holds an aborted call. */
  pipelineDepth?: number;
  /** A module exporting `loadModel(dir, options)` to load models with instead of the engine (tests use fakes). */
  loaderModule?: string;
  logger: Logger;
}

export interface PoolStats {
  workers: number;
  busy: number;
  queued: number;
}

interface Reply {
  resolve(message: FromWorker): void;
  reject(error: Error): void;
}

interface Call {
  modelId: number;
  signature: string;
  inputs: NamedTensors;
  /** Settles the caller's promise once; later outcomes (a result after an abort) are dropped. */
  settle(outcome: { outputs: NamedTensors } | { error: unknown }): void;
}

interface PoolWorker {
  thread: Worker;
  sender: BatchedSender<ToWorker>;
  replies: Map<number, Reply>;
  inFlight: number;
}

export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Call[] = [];
  /** modelId → SavedModel directory, so a replacement worker can load what the others hold. */
  private readonly models = new Map<number, string>();
  private nextId = 1;
  private stopping = false;

  private constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts the workers; rejects if one cannot start. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let i = 0; i < options.size; i++) {
        const { worker, engine } = await pool.spawn();
        if (i === 0 && engine) options.logger.info(engine, 'engine');
        pool.workers.push(worker);
      }
    } catch (error) {
      await pool.terminate();
      throw error;
    }
    return pool;
  }

  /** Loads a SavedModel into every worker; the result runs it on whichever worker is free. */
  readonly load: ModelLoader = async (dir) => {
    if (this.workers.length === 0) throw new UnavailableError(`cannot load ${dir}: no inference worker is running`);
    const modelId = this.nextId++;
    const loads = this.workers.map((worker) => this.request(worker, { type: 'load', id: this.nextId++, modelId, dir }));
    const settled = await Promise.allSettled(loads);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      this.unload(modelId);
      throw failure.reason;
    }
    this.models.set(modelId, dir);
    const loaded = (settled[0] as PromiseFulfilledResult<FromWorker & { type: 'loaded' }>).value;
    return new WorkerModel(this, modelId, loaded.info);
  };

  stats(): PoolStats {
    return { workers: this.workers.length, busy: this.workers.filter((w) => w.inFlight > 0).length, queued: this.queue.length };
  }

  run(modelId: number, signature: string, inputs: NamedTensors, signal?: AbortSignal): Promise<NamedTensors> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const seconds = this.options.inferenceTimeoutSeconds;
      const timer = setTimeout(() => abandon(timeoutError(seconds)), seconds * 1000);
      const onAbort = () => abandon(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const call: Call = {
        modelId,
        signature,
        inputs,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if ('outputs' in outcome) resolve(outcome.outputs);
          else reject(outcome.error);
        },
      };
      const abandon = (error: unknown) => {
        const queued = this.queue.indexOf(call);
        if (queued >= 0) this.queue.splice(queued, 1);
        call.settle({ error });
      };
      this.queue.push(call);
      this.dispatch();
    });
  }

  unload(modelId: number): void {
    this.models.delete(modelId);
    for (const worker of this.workers) this.post(worker, { type: 'dispose', modelId });
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    for (const call of this.queue.splice(0)) call.settle({ error: new UnavailableError('the server is shutting down') });
    await Promise.all(this.workers.splice(0).map((worker) => worker.thread.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.workers.reduce<PoolWorker | undefined>((best, w) => (!best || w.inFlight < best.inFlight ? w : best), undefined);
      if (!worker || worker.inFlight >= (this.options.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH)) return;
      this.start(worker, this.queue.shift()!);
    }
  }

  private start(worker: PoolWorker, call: Call): void {
    worker.inFlight++;
    const sent = (async () => {
      const packed = packTensors(call.inputs, true);
      const run: ToWorker = { type: 'run', id: this.nextId++, modelId: call.modelId, signature: call.signature, inputs: packed.tensors };
      const reply = await this.request(worker, run, packed.transfer);
      return unpackTensors((reply as FromWorker & { type: 'result' }).outputs);
    })();
    void sent
      .then(
        (outputs) => ({ outputs }),
        (error: unknown) => ({ error }),
      )
      .then((outcome) => {
        worker.inFlight--;
        call.settle(outcome);
        this.dispatch();
      });
  }

  private request(worker: PoolWorker, message: ToWorker & { id: number }, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      worker.replies.set(message.id, { resolve, reject });
      this.post(worker, message, transfer);
    });
  }

  private post(worker: PoolWorker, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    worker.sender.send(message, transfer);
  }

  private spawn(): Promise<{ worker: PoolWorker; engine?: EngineDecision }> {
    const { script, evaluate } = workerScript();
    const workerData: WorkerData = { loaderModule: this.options.loaderModule };
    const thread = new Worker(script, { eval: evaluate, workerData, env: this.options.env });
    const worker: PoolWorker = { thread, sender: new BatchedSender<ToWorker>(thread), replies: new Map(), inFlight: 0 };
    return new Promise((resolve, reject) => {
      thread.on('message', (messages: FromWorker[]) => {
        for (const message of messages) {
          if (message.type === 'ready') resolve({ worker, engine: message.engine });
          else if (message.type === 'log') this.options.logger.warn(message.message);
          else this.reply(worker, message);
        }
      });
      thread.on('error', (error) => {
        this.options.logger.error({ err: error }, 'inference worker failed');
        reject(new Error(`inference worker failed to start: ${error.message}`));
      });
      thread.on('exit', (code) => this.onExit(worker, code));
    });
  }

  private reply(worker: PoolWorker, message: FromWorker & { id: number }): void {
    const reply = worker.replies.get(message.id);
    worker.replies.delete(message.id);
    if (message.type === 'failed') reply?.reject(deserializeError(message.error));
    else reply?.resolve(message);
  }

  private onExit(worker: PoolWorker, code: number): void {
    const error = new Error(`the inference worker running this call stopped (exit code ${code})`);
    for (const reply of worker.replies.values()) reply.reject(error);
    const index = this.workers.indexOf(worker);
    if (index < 0 || this.stopping) return; // terminated by the pool, or one that never joined it
    this.workers.splice(index, 1);
    this.options.logger.error({ code }, 'inference worker stopped; starting a replacement');
    void this.replace();
  }

  private async replace(): Promise<void> {
    try {
      const { worker } = await this.spawn();
      for (const [modelId, dir] of this.models) await this.request(worker, { type: 'load', id: this.nextId++, modelId, dir });
      if (this.stopping) {
        await worker.thread.terminate();
        return;
      }
      this.workers.push(worker);
      this.dispatch();
    } catch (error) {
      this.options.logger.error({ err: error }, 'could not replace the inference worker');
    }
  }
}

function timeoutError(seconds: number): DeadlineExceededError {
  return new DeadlineExceededError(
    `the model did not answer within ${seconds} s (TFSERVE_INFERENCE_TIMEOUT_SECONDS); set it higher for longer inferences`,
  );
}

/** A model held by every worker of a pool. */
class WorkerModel implements LoadedModel {
  readonly engine: LoadedModelInfo['engine'];
  readonly tags: string[];
  readonly signatures: Record<string, SignatureInfo>;

  constructor(
    private readonly pool: WorkerPool,
    private readonly modelId: number,
    info: LoadedModelInfo,
  ) {
    this.engine = info.engine;
    this.tags = info.tags;
    this.signatures = info.signatures;
  }

  run(signature: string, inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    return this.pool.run(this.modelId, signature, inputs, options.signal);
  }

  dispose(): void {
    this.pool.unload(this.modelId);
  }
}
