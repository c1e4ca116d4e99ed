import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { PayloadTooLargeError, TfserveError } from '../errors';
import { abortOnClientClose } from './client-abort';
import { MB, readServerConfig, type ServerConfig } from './config';
import { createInvocationHandler, type InvocationHandler } from './invocation';
import { createMetrics, requestLabels, type ServerMetrics } from './metrics';
import type { ModelRegistry, VersionStatus } from './model-registry';
import { createMmeRoutes, invokeTarget } from './mme/mme-routes';
import type { MultiModelStore } from './mme/multi-model-store';
import { createTfsRoutes } from './tfs-routes';

/**
 * The SageMaker inference HTTP surface: `GET /ping` (ready when every model version is loaded), `POST /invocations`,
 * `GET /execution-parameters`, `GET /metrics`, TF Serving's `/v1/models/...`, 404 for everything else, every error
 * as `{"error": "..."}`. `/ping` and `/invocations` are answered by plain Node handlers in front of the express app:
 * express's per-request work made those routes 3–6× slower (serving contract Part C); the other routes are express.
 */

export interface AppOptions {
  logger?: Logger;
  /** Body limit and worker count; default: the defaults of every variable. */
  config?: ServerConfig;
  metrics?: ServerMetrics;
  /** Default: the `/invocations` pipeline on `registry`. */
  handleInvocation?: InvocationHandler;
  /** Multi-model mode: serves `/models` and `POST /models/{m}/invoke` (serving contract A9). */
  multiModel?: MultiModelStore;
}

/** nginx's status for a request whose client left before the answer; logs and metrics only. */
const CLIENT_CLOSED = 499;
/** SageMaker's default and real-time maximum; bigger mini-batches mean longer JSON/CSV parses on the event loop. */
const RECOMMENDED_PAYLOAD_MB = 6;
/** MaxConcurrentTransforms × MaxPayloadInMB may not exceed it. */
const SAGEMAKER_PAYLOAD_MB = 100;

export function createApp(registry: ModelRegistry, options: AppOptions = {}): RequestListener {
  const logger = options.logger ?? pino({ level: 'silent' });
  const config = options.config ?? readServerConfig({});
  const metrics = options.metrics ?? createMetrics({ versions: () => registry.status(), pool: () => undefined });
  const handleInvocation = options.handleInvocation ?? createInvocationHandler(registry);
  const multiModel = options.multiModel;
  const bodyLimitBytes = config.TFSERVE_MAX_BODY_MB * MB;
  const modelNames = new Set(registry.modelNames());
  const requestIds = new WeakMap<IncomingMessage, string>();
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) =>
    sendError(res, error, logger, requestIds.get(req), config.TFSERVE_MAX_BODY_MB);

  const app = express();
  app.disable('x-powered-by');
  app.get('/execution-parameters', (_req, res) => {
    res.json(executionParameters(config));
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (multiModel) app.use(createMmeRoutes(multiModel, bodyLimitBytes));
  app.use(createTfsRoutes(registry, { bodyLimitBytes }));
  app.use((_req, res) => {
    res.status(404).json({ error: 'Not Found' });
  });
  app.use(((error, req, res, _next) => fail(req, res, error)) satisfies ErrorRequestHandler);

  async function invoke(req: IncomingMessage, res: ServerResponse, handle = handleInvocation): Promise<void> {
    const signal = abortOnClientClose(res);
    try {
      const body = await readBody(req, bodyLimitBytes, config.TFSERVE_MAX_BODY_MB);
      const result = await handle({
        body,
        contentType: req.headers['content-type'],
        accept: req.headers.accept,
        customAttributes: header(req, 'x-amzn-sagemaker-custom-attributes'),
        signal,
      });
      send(res, result.status, result.contentType, result.body);
    } catch (error) {
      if (!signal.aborted) fail(req, res, error);
    }
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = header(req, 'x-amzn-sagemaker-inference-id') ?? randomUUID();
    requestIds.set(req, requestId);
    const path = pathOf(req.url);
    const labels = requestLabels(path, header(req, 'x-amzn-sagemaker-custom-attributes'), modelNames, registry.defaultModelName);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      metrics.observe(labels, status, seconds);
      // SageMaker pings every few seconds; those lines would drown the rest.
      const level = labels.route === '/ping' && status === 200 ? 'debug' : 'info';
      logger[level]({ requestId, method: req.method, url: req.url, status, durationMs: seconds * 1e3 }, 'request');
    });
    if (path === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) ping(res, registry.status());
    else if (path === '/invocations' && req.method === 'POST') void invoke(req, res);
    else if (multiModel && req.method === 'POST' && invokeTarget(path) !== undefined) {
      void invoke(req, res, (input) => multiModel.invoke(invokeTarget(path)!, input));
    }
    else app(req, res);
  };
}

/** 200 with an empty body when every version is available; else 503 naming the versions loading and failed. */
function ping(res: ServerResponse, versions: VersionStatus[]): void {
  const loading = versions.filter((v) => v.state === 'loading').map(({ name, version }) => ({ model: name, version }));
  const failed = versions.filter((v) => v.state === 'failed').map(({ name, version, reason }) => ({ model: name, version, reason }));
  if (loading.length === 0 && failed.length === 0) {
    res.writeHead(200, { 'Content-Length': '0' }).end();
    return;
  }
  const problems = [
    ...failed.map((v) => `model ${v.model} version ${v.version} failed to load: ${v.reason}`),
    ...loading.map((v) => `model ${v.model} version ${v.version} is loading`),
  ];
  send(res, 503, 'application/json', JSON.stringify({ error: `not ready: ${problems.join('; ')}`, loading, failed }));
}

/**
 * SageMaker batch transform asks this before its first invocation (serving contract A8): one concurrent request per
 * inference worker, with a payload size that keeps workers × payload within SageMaker's 100 MB rule.
 */
export function executionParameters(config: Pick<ServerConfig, 'TFSERVE_WORKERS' | 'TFSERVE_MAX_BODY_MB'>) {
  const concurrency = Math.min(config.TFSERVE_WORKERS, SAGEMAKER_PAYLOAD_MB);
  const payload = Math.min(RECOMMENDED_PAYLOAD_MB, config.TFSERVE_MAX_BODY_MB, Math.floor(SAGEMAKER_PAYLOAD_MB / concurrency));
  return { MaxConcurrentTransforms: concurrency, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: payload };
}

function readBody(req: IncomingMessage, limitBytes: number, limitMb: number): Promise<Buffer> {
  const tooLarge = () => tooLargeError(limitMb);
  if (Number(req.headers['content-length']) > limitBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else {
        chunks.length = 0;
        reject(tooLarge());
      }
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

function tooLargeError(limitMb: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body is larger than the ${limitMb} MB limit (TFSERVE_MAX_BODY_MB)`);
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** Status from the error class; express's body parser errors keep theirs (413 gets ours); anything else is a 500. */
function sendError(res: ServerResponse, error: unknown, logger: Logger, requestId: string | undefined, limitMb: number): void {
  const problem = (error as { type?: unknown }).type === 'entity.too.large' ? tooLargeError(limitMb) : error;
  const status = statusOf(problem);
  if (status >= 500) logger.error({ err: problem, requestId }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // An unread body that is too large is not worth receiving just to keep the connection.
  if (status === 413) res.setHeader('Connection', 'close');
  send(res, status, 'application/json', JSON.stringify({ error: problem instanceof Error ? problem.message : String(problem) }));
}

function statusOf(error: unknown): number {
  if (error instanceof TfserveError) return error.status;
  const httpError = error as { status?: unknown; expose?: unknown };
  if (typeof httpError.status === 'number' && httpError.expose === true) return httpError.status;
  return 500;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query < 0 ? (url ?? '/') : url!.slice(0, query);
}
