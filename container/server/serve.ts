import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { describeEngineChoice, loadModel } from '../engine/select-engine';
import { createApp } from './app';
import { readServerConfig } from './config';
import { discoverModels } from './model-discovery';
import { loadRegistry, type ModelLoader, type ModelRegistry } from './model-registry';

/**
 * Starts the inference server: discovers the models under the model directory, loads them all, and only then
 * listens, so SageMaker's first successful `/ping` means the model is ready (serving contract B4, F2).
 */

export interface StartServerOptions {
  modelDir: string;
  /** Default: SAGEMAKER_BIND_TO_PORT, else 8080. 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0: SageMaker reaches the container from outside. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Default: the engine TFSERVE_ENGINE selects. */
  load?: ModelLoader;
}

export interface RunningServer {
  url: string;
  registry: ModelRegistry;
  /** Stops accepting connections, lets in-flight requests finish, then frees the models. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = readServerConfig(env);
  const logger = options.logger ?? pino({ level: config.TFSERVE_LOG_LEVEL });
  const load = options.load ?? ((dir: string) => loadModel(dir, { log: (message) => logger.warn(message) }, env));

  if (!options.load) logger.info(describeEngineChoice(env), 'engine');
  const models = await discoverModels(options.modelDir);
  for (const model of models) {
    logger.info({ model: model.name, versions: model.versions.map((v) => v.version), basePath: model.basePath }, 'model found');
  }
  const registry = await loadRegistry(models, load, config.SAGEMAKER_TFS_DEFAULT_MODEL_NAME);
  for (const served of registry.all()) {
    logger.info({ model: served.name, version: served.version, engine: served.model.engine, dir: served.dir }, 'model loaded');
  }
  logger.info({ model: registry.defaultModelName }, 'default model');

  const server = http.createServer(createApp(registry, { logger }));
  // Batch transform invocations may run for up to an hour; Node's default would cut them at 5 minutes.
  server.requestTimeout = 0;
  try {
    await listen(server, options.port ?? config.SAGEMAKER_BIND_TO_PORT, options.host ?? '0.0.0.0');
  } catch (error) {
    registry.dispose();
    throw error;
  }
  const url = urlOf(server.address() as AddressInfo);
  logger.info({ url }, 'listening');

  let closing = false;
  // server.close() drops the connections idle at that moment; keep-alive connections of requests still in flight
  // would otherwise stay open until the client's idle timeout.
  server.on('request', (_req, res) => {
    res.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    url,
    registry,
    close: async () => {
      closing = true;
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      registry.dispose();
      logger.info('stopped');
    },
  };
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
