import type { TransformJobOptions } from '../job/options';

/**
 * The three settings a job may leave to the container, resolved as SageMaker does (serving contract A8):
 * the CreateTransformJob value, else the container's `GET /execution-parameters` answer, else the defaults.
 */

export type BatchStrategy = 'SingleRecord' | 'MultiRecord';

export interface BatchSettings {
  batchStrategy: BatchStrategy;
  /** 0 means no limit: a MultiRecord request carries the whole object. */
  maxPayloadInMB: number;
  maxConcurrentTransforms: number;
}

/** What a container may answer on /execution-parameters; each field optional, unknown or bad values dropped. */
export type ExecutionParameters = Partial<BatchSettings>;

export const DEFAULT_BATCH_SETTINGS: BatchSettings = { batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 1 };

/** The API's own limit (batch-transform spec §3). */
const MAX_PAYLOAD_IN_MB = 100;

/** Both spellings in circulation: the doc's `MULTI_RECORD` and the API's `MultiRecord`. */
const STRATEGIES: Record<string, BatchStrategy> = {
  SINGLERECORD: 'SingleRecord',
  SINGLE_RECORD: 'SingleRecord',
  MULTIRECORD: 'MultiRecord',
  MULTI_RECORD: 'MultiRecord',
};

/**
 * Reads an /execution-parameters body. The doc's keys (`MaxConcurrentTransforms`) and the MMS plugin's
 * (`MAX_CONCURRENT_TRANSFORMS`) are both accepted; a value out of range counts as unset, as a container that
 * answers nonsense should not break a job whose own settings are valid.
 */
export function parseExecutionParameters(body: unknown): ExecutionParameters {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields = body as Record<string, unknown>;
  const pick = (camel: string, snake: string) => fields[camel] ?? fields[snake];
  const strategy = pick('BatchStrategy', 'BATCH_STRATEGY');
  const concurrency = wholeNumber(pick('MaxConcurrentTransforms', 'MAX_CONCURRENT_TRANSFORMS'));
  const payload = wholeNumber(pick('MaxPayloadInMB', 'MAX_PAYLOAD_IN_MB'));
  const parameters: ExecutionParameters = {};
  if (typeof strategy === 'string' && Object.hasOwn(STRATEGIES, strategy.toUpperCase())) {
    parameters.batchStrategy = STRATEGIES[strategy.toUpperCase()];
  }
  if (concurrency !== undefined && concurrency >= 1) parameters.maxConcurrentTransforms = concurrency;
  if (payload !== undefined && payload >= 0 && payload <= MAX_PAYLOAD_IN_MB) parameters.maxPayloadInMB = payload;
  return parameters;
}

function wholeNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** Job value > execution-parameters > defaults. A job's MaxConcurrentTransforms of 0 means "unset", as in the API. */
export function resolveBatchSettings(job: TransformJobOptions, fromContainer: ExecutionParameters): BatchSettings {
  const jobConcurrency = job.MaxConcurrentTransforms === 0 ? undefined : job.MaxConcurrentTransforms;
  return {
    batchStrategy: job.BatchStrategy ?? fromContainer.batchStrategy ?? DEFAULT_BATCH_SETTINGS.batchStrategy,
    maxPayloadInMB: job.MaxPayloadInMB ?? fromContainer.maxPayloadInMB ?? DEFAULT_BATCH_SETTINGS.maxPayloadInMB,
    maxConcurrentTransforms: jobConcurrency ?? fromContainer.maxConcurrentTransforms ?? DEFAULT_BATCH_SETTINGS.maxConcurrentTransforms,
  };
}

const STRATEGY_ENV: Record<BatchStrategy, string> = { SingleRecord: 'SINGLE_RECORD', MultiRecord: 'MULTI_RECORD' };

/**
 * The environment SageMaker gives a batch container (serving contract A7): the job's Environment, then
 * SAGEMAKER_BATCH=true and each of the three settings only when the job sets it. SageMaker's own variables win.
 */
export function containerEnvironment(job: TransformJobOptions): Record<string, string> {
  const env: Record<string, string> = { ...job.Environment, SAGEMAKER_BATCH: 'true' };
  if (job.MaxPayloadInMB !== undefined) env.SAGEMAKER_MAX_PAYLOAD_IN_MB = String(job.MaxPayloadInMB);
  if (job.BatchStrategy !== undefined) env.SAGEMAKER_BATCH_STRATEGY = STRATEGY_ENV[job.BatchStrategy];
  if (job.MaxConcurrentTransforms) env.SAGEMAKER_MAX_CONCURRENT_TRANSFORMS = String(job.MaxConcurrentTransforms);
  return env;
}
