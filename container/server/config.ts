import * as os from 'node:os';
import { z } from 'zod';
import { ENGINE_CHOICES } from '../engine/select-engine';

/**
 * Every environment variable the server reads, in one schema with its default. A bad value stops start-up with a
 * message naming the variable; an empty variable counts as unset.
 *
 * The peer container's variables (serving contract B2) are honoured where they still mean something here, as the
 * fallback of tfserve's own name:
 * - SAGEMAKER_TFS_INSTANCE_COUNT (TF Serving processes, each holding every model) → TFSERVE_WORKERS;
 * - SAGEMAKER_TFS_WAIT_TIME_SECONDS (wait for a model to become AVAILABLE) → TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS;
 * - SAGEMAKER_NGINX_PROXY_READ_TIMEOUT_SECONDS (the peer's bound on a request) → TFSERVE_INFERENCE_TIMEOUT_SECONDS;
 * - SAGEMAKER_GUNICORN_LOGLEVEL (the peer's application-server log level) → TFSERVE_LOG_LEVEL.
 * Ignored because nothing here corresponds: SAGEMAKER_TFS_NGINX_LOGLEVEL (no nginx), SAGEMAKER_GUNICORN_WORKERS,
 * _THREADS, _WORKER_CLASS and _TIMEOUT_SECONDS (no gunicorn; request handling is one event loop and inference runs in
 * TFSERVE_WORKERS threads), SAGEMAKER_SAFE_PORT_RANGE (no second port), SAGEMAKER_TFS_INTER_/INTRA_OP_PARALLELISM
 * and SAGEMAKER_TFS_FRACTIONAL_GPU_MEM_MARGIN (engine threading and GPUs are not configured here).
 */

const PORT_RANGE = 'must be a port number from 1 to 65535';
const port = z.coerce.number({ error: PORT_RANGE }).int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);

const POSITIVE_INTEGER = 'must be a whole number of at least 1';
const positiveInteger = z.coerce.number({ error: POSITIVE_INTEGER }).int(POSITIVE_INTEGER).min(1, POSITIVE_INTEGER);

const POSITIVE_SECONDS = 'must be a number of seconds above 0';
const seconds = z.coerce.number({ error: POSITIVE_SECONDS }).positive(POSITIVE_SECONDS);

const TRUE_OR_FALSE = 'must be true or false';
const trueOrFalse = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['true', 'false'], { error: TRUE_OR_FALSE }))
  .transform((value) => value === 'true');

const MAX_BODY = 'must be a whole number of MB from 1 to 1024';
const bodyMegabytes = z.coerce.number({ error: MAX_BODY }).int(MAX_BODY).min(1, MAX_BODY).max(1024, MAX_BODY);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const GUNICORN_LOG_LEVELS = { debug: 'debug', info: 'info', warning: 'warn', error: 'error', critical: 'fatal' } as const;
const gunicornLogLevel = z
  .string()
  .transform((level) => level.toLowerCase())
  .pipe(z.enum(Object.keys(GUNICORN_LOG_LEVELS) as [keyof typeof GUNICORN_LOG_LEVELS]))
  .transform((level) => GUNICORN_LOG_LEVELS[level]);

/** SageMaker's largest batch-transform payload (MaxPayloadInMB ≤ 100). */
export const DEFAULT_MAX_BODY_MB = 100;
/** SageMaker answers a real-time caller after 60 s, so a longer inference only holds a worker nobody waits for. */
export const DEFAULT_INFERENCE_TIMEOUT_SECONDS = 60;
/** The largest InvocationsTimeoutInSeconds a transform job may set: the job's own timeout is then the one that acts. */
export const BATCH_INFERENCE_TIMEOUT_SECONDS = 3600;
/** The peer's SAGEMAKER_TFS_WAIT_TIME_SECONDS default. */
export const DEFAULT_MODEL_LOAD_TIMEOUT_SECONDS = 300;
export const MB = 1024 * 1024;

const serverEnvSchema = z
  .object({
    /** SageMaker sets it in inference pipelines and multi-container endpoints; 8080 otherwise. */
    SAGEMAKER_BIND_TO_PORT: port.default(8080),
    /** Which engine runs models: `auto` picks native when @tensorflow/tfjs-node is installed, else pure. */
    TFSERVE_ENGINE: z.enum(ENGINE_CHOICES).default('auto'),
    /** The pure engine's tfjs backend; container/engine/backend.ts reads it in each worker. */
    TFSERVE_BACKEND: z.enum(['wasm', 'cpu']).default('wasm'),
    TFSERVE_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
    SAGEMAKER_GUNICORN_LOGLEVEL: gunicornLogLevel.optional(),
    /** The model `/invocations` serves when a request names none; the peer's spelling of "unset" is `None`. */
    SAGEMAKER_TFS_DEFAULT_MODEL_NAME: z
      .string()
      .optional()
      .transform((name) => (name === undefined || name === 'None' ? undefined : name)),
    TFSERVE_MAX_BODY_MB: bodyMegabytes.default(DEFAULT_MAX_BODY_MB),
    TFSERVE_WORKERS: positiveInteger.optional(),
    SAGEMAKER_TFS_INSTANCE_COUNT: positiveInteger.optional(),
    TFSERVE_INFERENCE_TIMEOUT_SECONDS: seconds.optional(),
    SAGEMAKER_NGINX_PROXY_READ_TIMEOUT_SECONDS: seconds.optional(),
    TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS: seconds.optional(),
    SAGEMAKER_TFS_WAIT_TIME_SECONDS: seconds.optional(),
    /** Set by batch transform; like the peer, only its presence counts. */
    SAGEMAKER_BATCH: z.string().optional(),
    /** Set by SageMaker on multi-model endpoints; only `true` (any case) turns the MME API on. */
    SAGEMAKER_MULTI_MODEL: z.string().optional(),
    /** The weight bytes all MME models may hold together; past it `POST /models` answers 507. */
    TFSERVE_MME_MEMORY_BUDGET_MB: positiveInteger.optional(),
    /** The peer's port pool for per-model TF Serving processes; accepted, unused (one process serves every model). */
    SAGEMAKER_SAFE_PORT_RANGE: z.string().optional(),
    /** Single-model mode: also offer the `/models` load/unload/list/describe API, for local use. */
    TFSERVE_MODEL_MANAGEMENT: trueOrFalse.optional(),
    /** Server-side batching (contract B9); container/server/batching/batching-config.ts applies the defaults and logs them. */
    SAGEMAKER_TFS_ENABLE_BATCHING: trueOrFalse.optional(),
    SAGEMAKER_TFS_MAX_BATCH_SIZE: positiveInteger.optional(),
    SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: positiveInteger.optional(),
    SAGEMAKER_TFS_NUM_BATCH_THREADS: positiveInteger.optional(),
    SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES: positiveInteger.optional(),
  })
  .transform((env) => ({
    SAGEMAKER_BIND_TO_PORT: env.SAGEMAKER_BIND_TO_PORT,
    TFSERVE_ENGINE: env.TFSERVE_ENGINE,
    TFSERVE_BACKEND: env.TFSERVE_BACKEND,
    TFSERVE_LOG_LEVEL: env.TFSERVE_LOG_LEVEL ?? env.SAGEMAKER_GUNICORN_LOGLEVEL ?? 'info',
    SAGEMAKER_TFS_DEFAULT_MODEL_NAME: env.SAGEMAKER_TFS_DEFAULT_MODEL_NAME,
    TFSERVE_MAX_BODY_MB: env.TFSERVE_MAX_BODY_MB,
    TFSERVE_WORKERS: env.TFSERVE_WORKERS ?? env.SAGEMAKER_TFS_INSTANCE_COUNT ?? os.availableParallelism(),
    TFSERVE_INFERENCE_TIMEOUT_SECONDS:
      env.TFSERVE_INFERENCE_TIMEOUT_SECONDS ??
      env.SAGEMAKER_NGINX_PROXY_READ_TIMEOUT_SECONDS ??
      (env.SAGEMAKER_BATCH === undefined ? DEFAULT_INFERENCE_TIMEOUT_SECONDS : BATCH_INFERENCE_TIMEOUT_SECONDS),
    TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS:
      env.TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS ?? env.SAGEMAKER_TFS_WAIT_TIME_SECONDS ?? DEFAULT_MODEL_LOAD_TIMEOUT_SECONDS,
    SAGEMAKER_BATCH: env.SAGEMAKER_BATCH !== undefined,
    SAGEMAKER_MULTI_MODEL: env.SAGEMAKER_MULTI_MODEL?.toLowerCase() === 'true',
    TFSERVE_MME_MEMORY_BUDGET_MB: env.TFSERVE_MME_MEMORY_BUDGET_MB ?? Math.floor(os.totalmem() / MB / 2),
    SAGEMAKER_SAFE_PORT_RANGE: env.SAGEMAKER_SAFE_PORT_RANGE,
    TFSERVE_MODEL_MANAGEMENT: env.TFSERVE_MODEL_MANAGEMENT ?? false,
    SAGEMAKER_TFS_ENABLE_BATCHING: env.SAGEMAKER_TFS_ENABLE_BATCHING,
    SAGEMAKER_TFS_MAX_BATCH_SIZE: env.SAGEMAKER_TFS_MAX_BATCH_SIZE,
    SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: env.SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS,
    SAGEMAKER_TFS_NUM_BATCH_THREADS: env.SAGEMAKER_TFS_NUM_BATCH_THREADS,
    SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES: env.SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES,
  }));

export type ServerConfig = z.output<typeof serverEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = serverEnvSchema.safeParse(set);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    return `${variable}=${JSON.stringify(env[variable])}: ${issue.message}`;
  });
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}

/** The environment a worker thread runs the engine with: the caller's, with the engine settings as validated here. */
export function engineEnv(env: NodeJS.ProcessEnv, config: ServerConfig): NodeJS.ProcessEnv {
  return { ...env, TFSERVE_ENGINE: config.TFSERVE_ENGINE, TFSERVE_BACKEND: config.TFSERVE_BACKEND };
}
