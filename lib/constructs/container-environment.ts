import { wholeNumberIn, matches, type PropProblem } from './prop-checks';

/**
 * The typed container environment of the tfserve image and the variables it becomes. Names follow the container's
 * own config (container/server/config.ts): the SageMaker TensorFlow Serving container's SAGEMAKER_TFS_* spellings
 * where one exists, TFSERVE_* otherwise.
 */

/** Server-side batching (SAGEMAKER_TFS_ENABLE_BATCHING=true plus the tuning below). */
export interface BatchingSettings {
  /**
   * Largest batch the server forms.
   * @default - the container's default
   */
  readonly maxBatchSize?: number;
  /**
   * How long a partial batch waits for more requests, in microseconds.
   * @default - the container's default
   */
  readonly batchTimeoutMicros?: number;
  /**
   * Batches run concurrently.
   * @default - the container's default
   */
  readonly numBatchThreads?: number;
  /**
   * Batches that may queue before requests are refused.
   * @default - the container's default
   */
  readonly maxEnqueuedBatches?: number;
}

export type ServingEngine = 'auto' | 'native' | 'pure';
export type ServingLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ContainerSettings {
  /**
   * The model `/invocations` serves when a request names none (single-model endpoints with several models).
   * @default - the container picks the only model
   */
  readonly defaultModelName?: string;
  /**
   * Server-side batching.
   * @default - off
   */
  readonly batching?: BatchingSettings;
  /**
   * @default - the container's default ('info')
   */
  readonly logLevel?: ServingLogLevel;
  /**
   * Which engine runs the models: `native` (libtensorflow through tfjs-node), `pure` (tfjs, no native code) or
   * `auto` (native when installed).
   * @default - the image's default ('auto')
   */
  readonly engine?: ServingEngine;
  /**
   * Further variables, passed as they are (e.g. TFSERVE_INFERENCE_TIMEOUT_SECONDS). They win over the typed ones.
   * @default - none
   */
  readonly extra?: Record<string, string>;
}

/** SageMaker's limits on a container environment (CreateModel API). */
const MAX_ENTRY_BYTES = 1024;
const MAX_TOTAL_BYTES = 32 * 1024;

export function batchingEnvironment(batching: BatchingSettings): Record<string, string> {
  return definedOnly({
    SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
    SAGEMAKER_TFS_MAX_BATCH_SIZE: batching.maxBatchSize,
    SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: batching.batchTimeoutMicros,
    SAGEMAKER_TFS_NUM_BATCH_THREADS: batching.numBatchThreads,
    SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES: batching.maxEnqueuedBatches,
  });
}

export function containerEnvironment(settings: ContainerSettings, multiModel: boolean): Record<string, string> {
  return {
    ...definedOnly({
      SAGEMAKER_TFS_DEFAULT_MODEL_NAME: settings.defaultModelName,
      TFSERVE_LOG_LEVEL: settings.logLevel,
      TFSERVE_ENGINE: settings.engine,
      // SageMaker sets it too on multi-model endpoints; setting it here keeps a local `docker run` with this
      // environment in the same mode.
      SAGEMAKER_MULTI_MODEL: multiModel ? 'true' : undefined,
    }),
    ...(settings.batching ? batchingEnvironment(settings.batching) : {}),
    ...settings.extra,
  };
}

export function batchingProblems(prefix: string, batching: BatchingSettings | undefined): PropProblem[] {
  if (batching === undefined) return [];
  return [
    wholeNumberIn(`${prefix}.maxBatchSize`, batching.maxBatchSize, 1, 1_000_000),
    wholeNumberIn(`${prefix}.batchTimeoutMicros`, batching.batchTimeoutMicros, 1, 60_000_000),
    wholeNumberIn(`${prefix}.numBatchThreads`, batching.numBatchThreads, 1, 1024),
    wholeNumberIn(`${prefix}.maxEnqueuedBatches`, batching.maxEnqueuedBatches, 1, 1_000_000),
  ];
}

export function containerSettingsProblems(settings: ContainerSettings, multiModel: boolean): PropProblem[] {
  return [
    matches(
      'container.defaultModelName',
      settings.defaultModelName,
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
      'must be a model directory name (letters, digits, _ . -)',
    ),
    multiModel && settings.defaultModelName !== undefined
      ? 'container.defaultModelName does not apply to multi-model endpoints: callers name the model with TargetModel'
      : undefined,
    ...batchingProblems('container.batching', settings.batching),
  ];
}

/** Each key and value ≤ 1024 bytes, all together ≤ 32 KiB, as CreateModel / CreateTransformJob require. */
export function environmentSizeProblems(name: string, environment: Record<string, string>): PropProblem[] {
  const entries = Object.entries(environment);
  const tooLong = entries
    .filter(([key, value]) => Buffer.byteLength(key) > MAX_ENTRY_BYTES || Buffer.byteLength(value) > MAX_ENTRY_BYTES)
    .map(([key]) => `${name}.${key}: keys and values are limited to ${MAX_ENTRY_BYTES} bytes`);
  const total = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  return [...tooLong, total > MAX_TOTAL_BYTES ? `${name} totals ${total} bytes; the limit is ${MAX_TOTAL_BYTES}` : undefined];
}

function definedOnly(values: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}
