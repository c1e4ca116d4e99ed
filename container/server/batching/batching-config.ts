import * as os from 'node:os';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config';
import type { BatchingOptions } from './with-batching';

/**
 * The batching settings from the environment, with the peer's defaults and start-up log lines (serving contract B9):
 * a warning per defaulted value, then the effective configuration in TF Serving's batching-parameters text form.
 */

/** Batch transform sends its records as fast as it can: the queue is then effectively unbounded, as in the peer. */
export const BATCH_TRANSFORM_MAX_ENQUEUED_BATCHES = 100_000_000;

interface Parameter {
  name: keyof BatchingOptions;
  /** TF Serving's name for it, as the config lines and warnings spell it. */
  tfsName: string;
  variable: keyof ServerConfig & `SAGEMAKER_TFS_${string}`;
  fallback: (config: ServerConfig, cpus: number) => number;
}

const PARAMETERS: Parameter[] = [
  { name: 'maxBatchSize', tfsName: 'max_batch_size', variable: 'SAGEMAKER_TFS_MAX_BATCH_SIZE', fallback: () => 8 },
  { name: 'batchTimeoutMicros', tfsName: 'batch_timeout_micros', variable: 'SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS', fallback: () => 1000 },
  { name: 'numBatchThreads', tfsName: 'num_batch_threads', variable: 'SAGEMAKER_TFS_NUM_BATCH_THREADS', fallback: (_config, cpus) => cpus },
  {
    name: 'maxEnqueuedBatches',
    tfsName: 'max_enqueued_batches',
    variable: 'SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES',
    fallback: (config, cpus) => (config.SAGEMAKER_BATCH ? BATCH_TRANSFORM_MAX_ENQUEUED_BATCHES : cpus),
  },
];

export interface ResolvedBatching {
  options: BatchingOptions;
  /** One warning per parameter left to its default, in the peer's words. */
  warnings: string[];
  /** The four lines the peer writes to batching-config.cfg. */
  configText: string;
}

/** undefined when batching is off. */
export function resolveBatching(config: ServerConfig, cpus = os.availableParallelism()): ResolvedBatching | undefined {
  if (!config.SAGEMAKER_TFS_ENABLE_BATCHING) return undefined;
  const options = {} as BatchingOptions;
  const warnings: string[] = [];
  for (const { name, tfsName, variable, fallback } of PARAMETERS) {
    const value = config[variable] as number | undefined;
    options[name] = value ?? fallback(config, cpus);
    if (value === undefined) {
      warnings.push(`${tfsName} defaulted to ${options[name]}. Set ${variable} to override default. Tuning this parameter may yield better performance.`);
    }
  }
  const configText = PARAMETERS.map(({ name, tfsName }) => `${tfsName} { value: ${options[name]} }`).join('\n');
  return { options, warnings, configText };
}

/** Logs the batching configuration at start-up and returns its options, or undefined when batching is off. */
export function batchingFromConfig(config: ServerConfig, logger: Logger): BatchingOptions | undefined {
  const resolved = resolveBatching(config);
  if (!resolved) return undefined;
  for (const warning of resolved.warnings) logger.warn(warning);
  logger.info({ batching: resolved.options }, `batching config: \n${resolved.configText}`);
  return resolved.options;
}
