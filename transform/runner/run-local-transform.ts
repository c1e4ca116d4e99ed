import type { S3Client } from '@aws-sdk/client-s3';
import pino, { type Logger } from 'pino';
import { codecFor } from '../codecs/codec-for';
import type { TransformJobOptions } from '../job/options';
import { concurrentPayloadProblem, validateTransformJob } from '../job/validate';
import type { StoredObject } from '../store/object-store';
import { openTransformStores } from '../store/open-store';
import { inputFilterOf, joinsInput, outputAssembler } from './assemble-output';
import { containerEnvironment, resolveBatchSettings, type BatchSettings } from './batch-settings';
import { fetchExecutionParameters } from './container-probe';
import { openTarget, type ContainerTarget } from './container-target';
import { InvocationClient, InvocationError } from './invocation-client';
import { payloadLimitBytes } from './payloads';
import { Slots } from './slots';
import { transformObject, type ObjectTransformJob } from './transform-object';
import { failureReason, SILENT_PROGRESS, type ObjectResult, type ProgressSink, type TransformResult } from './transform-result';

/**
 * `tfserve transform` without `--remote`: SageMaker Batch Transform's behaviour (spec §8) against a container on this
 * machine. Everything that can be checked is checked before any work: the job's options, the target, the input and
 * output locations, the input listing, the container's health and the resolved settings. Those failures throw;
 * afterwards a failing object fails only itself, and the result says Failed with a FailureReason.
 */

export interface LocalTransformDeps {
  /** Start the project's container from this models root (the default target). */
  modelDir?: string;
  /** Or send to a container already running here, e.g. `http://127.0.0.1:8080`. */
  endpoint?: string;
  /** Client for s3:// input and output. */
  s3?: S3Client;
  progress?: ProgressSink;
  logger?: Logger;
  /** Bound on the container becoming healthy (GET /ping 200). Default 300 s, the container's model load timeout. */
  readyTimeoutSeconds?: number;
  /** Pause before retry n; see InvocationClient. */
  retryDelayMs?: (attempt: number) => number;
}

const DEFAULT_READY_TIMEOUT_SECONDS = 300;
/** Bodies held per request slot: one being sent, one answered and waiting for an earlier one to be written. */
const WINDOW_PER_SLOT = 2;

export async function runLocalTransform(input: unknown, deps: LocalTransformDeps): Promise<TransformResult> {
  const started = Date.now();
  const job = validateTransformJob(input);
  checkTarget(deps);
  const logger = deps.logger ?? pino({ level: 'silent' });
  const progress = deps.progress ?? SILENT_PROGRESS;
  const { input: inputStore, output: outputStore } = await openTransformStores({
    inputUri: job.TransformInput.DataSource.S3DataSource.S3Uri,
    outputUri: job.TransformOutput.S3OutputPath,
    dataType: job.TransformInput.DataSource.S3DataSource.S3DataType,
    kmsKeyId: job.TransformOutput.KmsKeyId,
    s3: deps.s3,
  });
  const objects = await inputStore.list();
  // SageMaker fails such a job too ("No S3 objects found under S3 URL"), before starting any instance.
  if (objects.length === 0) throw new Error(`no input objects found at ${inputStore.uri}`);
  logger.info({ objects: objects.length, input: inputStore.uri }, 'input listed');

  const target = await openTarget({
    endpoint: deps.endpoint,
    modelDir: deps.modelDir,
    env: containerEnvironment(job),
    readyTimeoutMs: (deps.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS) * 1000,
    logger,
  });
  try {
    const settings = resolveBatchSettings(job, await fetchExecutionParameters(target.url));
    const problem = concurrentPayloadProblem(settings.maxConcurrentTransforms, settings.maxPayloadInMB);
    if (problem !== undefined) throw new Error(`resolved settings (job, then the container's /execution-parameters, then defaults): ${problem}`);
    logger.info(settings, 'batch settings');
    progress.jobStarted(objects.length, objects.reduce((sum, object) => sum + object.size, 0));

    const client = new InvocationClient({
      url: target.url,
      contentType: job.TransformInput.ContentType,
      accept: job.TransformOutput.Accept,
      timeoutSeconds: job.ModelClientConfig.InvocationsTimeoutInSeconds,
      maxRetries: job.ModelClientConfig.InvocationsMaxRetries,
      maxSockets: settings.maxConcurrentTransforms,
      retryDelayMs: deps.retryDelayMs,
    });
    try {
      const perObject = objectJob(job, settings, { input: inputStore, output: outputStore, client, target, progress });
      const results = await forEachObject(objects, settings.maxConcurrentTransforms, async (object) => {
        const result = await transformObject(object, perObject);
        logger.info(result, result.status === 'Completed' ? 'object transformed' : 'object failed');
        progress.objectFinished(result);
        return result;
      });
      const status = results.some((result) => result.status === 'Failed') ? 'Failed' : 'Completed';
      const result: TransformResult = { status, failureReason: failureReason(results), settings, objects: results, seconds: (Date.now() - started) / 1000 };
      progress.jobFinished(result);
      return result;
    } finally {
      client.close();
    }
  } finally {
    await target.stop();
  }
}

function checkTarget(deps: LocalTransformDeps): void {
  if ((deps.modelDir === undefined) === (deps.endpoint === undefined)) {
    throw new Error('a local transform needs exactly one target: a model directory (--model-dir) or a running container (--endpoint)');
  }
  if (deps.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(deps.endpoint)) {
    throw new Error(`--endpoint ${deps.endpoint} is not an http:// or https:// URL`);
  }
}

interface JobParts {
  input: ObjectTransformJob['input'];
  output: ObjectTransformJob['output'];
  client: InvocationClient;
  target: ContainerTarget;
  progress: ProgressSink;
}

function objectJob(job: TransformJobOptions, settings: BatchSettings, parts: JobParts): ObjectTransformJob {
  const limitBytes = payloadLimitBytes(settings.maxPayloadInMB);
  return {
    input: parts.input,
    output: parts.output,
    // The codec refuses to buffer a record the job could never send: a corrupt length cannot exhaust memory.
    codec: codecFor(job.TransformInput.SplitType, Number.isFinite(limitBytes) ? { maxPayloadBytes: limitBytes } : {}),
    gzip: job.TransformInput.CompressionType === 'Gzip',
    plan: { strategy: settings.batchStrategy, limitBytes, filter: inputFilterOf(job), keepInput: joinsInput(job) },
    invoke: async (body, what) => {
      try {
        return await parts.client.invoke(body, what);
      } catch (error) {
        const gone = parts.target.gone();
        if (error instanceof InvocationError && gone !== undefined) throw new Error(`${error.message}; ${gone}`, { cause: error });
        throw error;
      }
    },
    assemble: outputAssembler(job),
    requests: new Slots(settings.maxConcurrentTransforms),
    window: new Slots(settings.maxConcurrentTransforms * WINDOW_PER_SLOT),
    progress: parts.progress,
  };
}

/** Objects are independent: up to `parallel` at once share the request slots; results keep the listing's order. */
async function forEachObject(
  objects: readonly StoredObject[],
  parallel: number,
  work: (object: StoredObject) => Promise<ObjectResult>,
): Promise<ObjectResult[]> {
  const results: ObjectResult[] = new Array(objects.length);
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const index = next++;
      results[index] = await work(objects[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, objects.length) }, worker));
  return results;
}
