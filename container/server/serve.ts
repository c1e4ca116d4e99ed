import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { LoadedModel } from '../engine/engine';
import { UnavailableError } from '../errors';
import { createApp } from './app';
import { batchingFromConfig } from './batching/batching-config';
import { withBatching } from './batching/with-batching';
import { engineEnv, MB, readServerConfig, type ServerConfig } from './config';
import { loadHooks } from './hooks/load-hooks';
import { createInvocationHandler } from './invocation';
import { createMetrics } from './metrics';
import { MultiModelStore, refuseUntargetedInvocation } from './mme/multi-model-store';
import { checkModelName, checkUserModelName } from './mme/model-source';
import { discoverModels } from '../models/model-discovery';
import { loadVersions, ModelRegistry, type ModelLoader } from './model-registry';
import { WorkerPool } from './workers/pool';

/**
 * Starts the inference server: discovers the models and the hooks in `code/`, listens at once (so `/ping` can say
 * 503 "loading" instead of refusing connections), starts the inference workers and loads every model version into
 * them. `/ping` turns 200 when every version is available (serving contract A3, B4).
 */

export interface StartServerOptions {
  /** Default: /opt/ml/model, or /opt/ml/models on a multi-model endpoint (SAGEMAKER_MULTI_MODEL=true). */
  modelDir?: string;
  /** Default: SAGEMAKER_BIND_TO_PORT, else 8080. 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0: SageMaker reaches the container from outside. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Loads models in this thread instead of the worker pool (tests of the HTTP layer, embedding). */
  load?: ModelLoader;
  /** A module exporting `loadModel(dir)` that the workers load models with instead of the engine (tests). */
  workerLoaderModule?: string;
  /** Called once listening, before the models load: the CLI installs its signal handlers here. */
  onListening?: (server: RunningServer) => void;
}

export interface RunningServer {
  url: string;
  registry: ModelRegistry;
  config: ServerConfig;
  /** Stops accepting connections, answers every in-flight request, then stops the workers and frees the models. */
  close(): Promise<void>;
}

const MODEL_DIR = '/opt/ml/model';
const MULTI_MODEL_DIR = '/opt/ml/models';

/** Resolves once listening and every model version has loaded or failed (failures show on `/ping`, not here). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = readServerConfig(env);
  // Asynchronous writes: a synchronous write per request line cost about a sixth of the main thread under load.
  const destination = options.logger ? undefined : pino.destination({ dest: 1, sync: false });
  const logger = options.logger ?? pino({ level: config.TFSERVE_LOG_LEVEL }, destination);

  const multiModelMode = config.SAGEMAKER_MULTI_MODEL;
  const modelDir = options.modelDir ?? (multiModelMode ? MULTI_MODEL_DIR : MODEL_DIR);
  // A multi-model endpoint starts empty: SageMaker loads each model with POST /models (contract A9).
  const models = multiModelMode ? [] : await discoverModels(modelDir);
  for (const model of models) {
    logger.info({ model: model.name, versions: model.versions.map((v) => v.version), basePath: model.basePath }, 'model found');
  }
  const registry = multiModelMode ? ModelRegistry.empty() : ModelRegistry.discovered(models, config.SAGEMAKER_TFS_DEFAULT_MODEL_NAME);
  if (!multiModelMode) logger.info({ model: registry.defaultModelName }, 'default model');
  const hooks = await loadHooks(modelDir, { refuseNested: !multiModelMode });
  const batching = batchingFromConfig(config, logger);
  const batched = (model: LoadedModel) => (batching ? withBatching(model, batching) : model);
  if (hooks) logger.info({ hooks: Object.keys(hooks) }, 'hooks loaded');
  // The /models API: SageMaker's multi-model endpoint, or the same operations for local use behind a flag.
  const multiModel =
    multiModelMode || config.TFSERVE_MODEL_MANAGEMENT
      ? new MultiModelStore({
          root: modelDir,
          checkName: multiModelMode ? checkModelName : checkUserModelName,
          budgetBytes: config.TFSERVE_MME_MEMORY_BUDGET_MB * MB,
          loadTimeoutSeconds: config.TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS,
          universalHooks: hooks,
          logger,
          // Requests are served only after listening, by which time `loading` (which starts the workers) exists.
          load: async (dir) => {
            await loading;
            const loadModel = options.load ?? pool?.load;
            if (!loadModel) throw new UnavailableError(`cannot load ${dir}: the inference workers did not start (see the log)`);
            return batched(await loadModel(dir));
          },
        })
      : undefined;
  if (multiModelMode) {
    logger.info({ modelDir, memoryBudgetMb: config.TFSERVE_MME_MEMORY_BUDGET_MB }, 'multi-model endpoint: models load on POST /models');
  }
  if (config.SAGEMAKER_SAFE_PORT_RANGE !== undefined) {
    logger.info({ SAGEMAKER_SAFE_PORT_RANGE: config.SAGEMAKER_SAFE_PORT_RANGE }, 'SAGEMAKER_SAFE_PORT_RANGE ignored: every model is served on one port');
  }
  const handleInvocation = multiModelMode ? refuseUntargetedInvocation : createInvocationHandler(registry, { hooks });

  let pool: WorkerPool | undefined;
  const metrics = createMetrics({ versions: () => registry.status(), pool: () => pool?.stats() });
  const server = http.createServer(createApp(registry, { logger, config, metrics, handleInvocation, multiModel }));
  // Batch invocations may run for an hour; Node's 300 s default would cut them. Headers still must arrive within
  // 60 s, and idle keep-alive connections close after 5 s, longer than the peer's nginx (3 s) (contract A5, B12).
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await listen(server, options.port ?? config.SAGEMAKER_BIND_TO_PORT, options.host ?? '0.0.0.0');
  const url = urlOf(server.address() as AddressInfo);
  logger.info({ url }, 'listening');

  let stopping = false;
  // server.close() drops the connections idle at that moment; keep-alive connections of requests still in flight
  // would otherwise stay open until the client's idle timeout.
  server.on('request', (_req, res) => {
    res.once('finish', () => {
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });

  const loading = (async () => {
    const loadModel = options.load ?? (pool = await startPool(config, env, logger, options.workerLoaderModule)).load;
    const load: ModelLoader = async (dir) => batched(await loadModel(dir));
    await loadVersions(registry, load, {
      timeoutSeconds: config.TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS,
      onSettled: ({ name: model, version, dir, state, reason }, loaded) => {
        if (state === 'available') logger.info({ model, version, engine: loaded?.engine, dir }, 'model loaded');
        else logger.error({ model, version, dir, reason }, 'model failed to load');
      },
    });
    const failed = registry.status().filter((v) => v.state === 'failed').length;
    if (failed === 0) logger.info({ versions: registry.status().length }, 'ready');
    else logger.error({ failed }, 'not ready: a model version failed to load; /ping answers 503 naming it');
  })().catch((error: unknown) => {
    const reason = `inference workers did not start: ${(error as Error).message}`;
    for (const { dir } of registry.status().filter((v) => v.state === 'loading')) registry.markFailed(dir, reason);
    logger.error({ err: error }, 'inference workers did not start');
  });

  const running: RunningServer = {
    url,
    registry,
    config,
    close: async () => {
      stopping = true;
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await closed;
      await pool?.terminate(); // fails the loads still running
      await loading;
      await pool?.terminate(); // a pool that finished starting meanwhile
      registry.dispose();
      multiModel?.dispose();
      logger.info('stopped');
      destination?.flushSync();
    },
  };
  options.onListening?.(running);
  await loading;
  return running;
}

async function startPool(config: ServerConfig, env: NodeJS.ProcessEnv, logger: Logger, loaderModule?: string): Promise<WorkerPool> {
  const pool = await WorkerPool.start({
    size: config.TFSERVE_WORKERS,
    env: engineEnv(env, config),
    inferenceTimeoutSeconds: config.TFSERVE_INFERENCE_TIMEOUT_SECONDS,
    loaderModule,
    logger,
  });
  logger.info({ workers: config.TFSERVE_WORKERS }, 'inference workers started');
  return pool;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${address.family === 'IPv6' && host !== 'localhost' ? `[${host}]` : host}:${address.port}`;
}
