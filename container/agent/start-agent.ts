import * as fs from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { S3Client } from '@aws-sdk/client-s3';
import pino, { type Logger } from 'pino';
import type { LoadedModel } from '../engine/engine';
import { loadModel } from '../engine/select-engine';
import { clearStaleSocket, grpcTarget, parseAgentAddress } from './agent-address';
import type { AgentConfig, ParsedAgentConfig } from './agent-config';
import { AgentModels } from './agent-models';
import { loadAgentService } from './agent-proto';
import { agentHandlers } from './agent-service';
import { CaptureQueue } from './capture/capture-queue';
import { diskSink, s3Sink, type CaptureSink } from './capture/capture-sinks';

/**
 * Starts `tfserve agent`: the SageMaker Edge Manager agent's gRPC API on a unix socket (or TCP), serving models
 * loaded on the engine and writing captured data to disk or S3.
 */

export interface StartAgentOptions {
  /** `-a`: a socket path, `unix://<path>` or `host:port`. */
  address: string;
  config: ParsedAgentConfig;
  logger?: Logger;
  /** For Cloud capture; default: a client for sagemaker_edge_core_region with the SDK's credential and endpoint chain. */
  s3Client?: S3Client;
  /** Loads a SavedModel directory; default: the engine TFSERVE_ENGINE selects. */
  load?: (dir: string) => Promise<LoadedModel>;
  /** Delay before the first retry of a failed capture write (doubled after each); default 500 ms. */
  captureRetryDelayMs?: number;
}

export interface RunningAgent {
  /** What clients connect to: `unix:///abs/path.sock` or `host:port`. */
  target: string;
  /** Stops accepting calls, answers those in flight, writes the captures waiting, frees the models. */
  close(): Promise<void>;
}

const MB = 1024 * 1024;
const CAPTURE_ATTEMPTS = 3;
const CAPTURE_STATUS_RETENTION = 10_000;
/** In-flight calls get this long to finish at shutdown before they are cancelled. */
const SHUTDOWN_GRACE_MS = 10_000;

export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const { config, ignored, unknown } = options.config;
  const logger = options.logger ?? pino({ level: config.sagemaker_edge_log_verbose ? 'debug' : 'info' });
  for (const key of ignored) logger.info({ key }, 'config key ignored: it configured the discontinued Edge Manager cloud service');
  for (const key of unknown) logger.warn({ key }, 'unknown config key');

  const address = parseAgentAddress(options.address);
  const target = grpcTarget(address);
  if (address.kind === 'unix') await clearStaleSocket(address.path);

  const models = new AgentModels({
    load: options.load ?? ((dir) => loadModel(dir, { log: (message) => logger.info(message) })),
    budgetBytes: config.tfserve_memory_budget_mb * MB,
    budgetSetting: 'tfserve_memory_budget_mb',
    logger,
  });
  const sink = captureSink(config, options.s3Client);
  const captures =
    sink &&
    new CaptureQueue({
      sink,
      layout: {
        folderPrefix: config.sagemaker_edge_core_folder_prefix,
        embedLimit: config.sagemaker_edge_core_capture_data_base64_embed_limit,
        deviceName: config.sagemaker_edge_core_device_name,
        deviceFleetName: config.sagemaker_edge_core_device_fleet_name,
      },
      bufferSize: config.sagemaker_edge_core_capture_data_buffer_size,
      batchSize: config.sagemaker_edge_core_capture_data_batch_size,
      pushPeriodSeconds: config.sagemaker_edge_core_capture_data_push_period_seconds,
      attempts: CAPTURE_ATTEMPTS,
      retryDelayMs: options.captureRetryDelayMs ?? 500,
      statusRetention: CAPTURE_STATUS_RETENTION,
      logger,
    });

  const messageBytes = config.tfserve_max_message_mb * MB;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': messageBytes, 'grpc.max_send_message_length': messageBytes });
  server.addService(
    loadAgentService(),
    agentHandlers({
      models,
      captures,
      captureUnavailable: 'data capture has no destination: set sagemaker_edge_core_capture_data_disk_path in the config file',
      logger,
    }),
  );
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  logger.info({ target, captureDestination: sink?.location ?? 'none', maxMessageMb: config.tfserve_max_message_mb }, 'agent listening');

  let closing: Promise<void> | undefined;
  const close = async () => {
    await shutdown(server);
    await captures?.close();
    await models.close();
    // grpc-js leaves the socket file behind; a later start would otherwise have to probe it as stale.
    if (address.kind === 'unix') await fs.rm(address.path, { force: true });
    logger.info('agent stopped');
  };
  return { target, close: () => (closing ??= close()) };
}

function captureSink(config: AgentConfig, s3Client: S3Client | undefined): CaptureSink | undefined {
  if (config.sagemaker_edge_core_capture_data_destination === 'Cloud') {
    const client = s3Client ?? new S3Client(config.sagemaker_edge_core_region ? { region: config.sagemaker_edge_core_region } : {});
    return s3Sink(client, config.sagemaker_edge_provider_s3_bucket_name!); // the config schema requires it for Cloud
  }
  const dir = config.sagemaker_edge_core_capture_data_disk_path;
  return dir === undefined ? undefined : diskSink(dir);
}

function shutdown(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
