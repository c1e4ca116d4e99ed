import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { InvalidArgumentError, TfserveError } from '../errors';
import { predict } from '../tfs/predict';
import { parseCustomAttributes } from './custom-attributes';
import type { ModelRegistry } from './model-registry';

/**
 * The SageMaker inference HTTP surface for TensorFlow Serving JSON: `GET /ping`, `POST /invocations`, 404 for
 * everything else, and every error as `{"error": "..."}` with the status its error class carries.
 */

export interface AppOptions {
  logger?: Logger;
}

/** Batch transform sends up to 100 MB (MaxPayloadInMB); express's default is 100 kB. */
const BODY_LIMIT = '100mb';

export function createApp(registry: ModelRegistry, options: AppOptions = {}): express.Express {
  const logger = options.logger ?? pino({ level: 'silent' });
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(logger));

  // Ready means loaded, and a registry only exists once its models have loaded: startServer listens after that.
  app.get('/ping', (_req, res) => {
    res.status(200).end();
  });

  app.post('/invocations', requireJson, express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const attributes = parseCustomAttributes(req.get('X-Amzn-SageMaker-Custom-Attributes'));
    if (attributes.method !== undefined && attributes.method !== 'predict') {
      throw new InvalidArgumentError(`tfs-method ${attributes.method} is not supported by this server (supported: predict)`);
    }
    const served = registry.resolve(attributes.modelName, attributes.modelVersion);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.type('application/json').send(await predict(served.model, body));
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not Found' });
  });
  app.use(errorHandler(logger));
  return app;
}

/** A missing Content-Type is read as JSON; other types belong to later content handlers. */
const requireJson: RequestHandler = (req, res, next) => {
  const contentType = req.get('Content-Type');
  if (contentType === undefined || mediaType(contentType) === 'application/json') {
    next();
    return;
  }
  res.status(415).json({ error: `Unsupported Media Type: ${contentType}` });
};

function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = req.get('X-Amzn-SageMaker-Inference-Id') ?? randomUUID();
    const started = process.hrtime.bigint();
    res.locals.logger = logger.child({ requestId });
    res.on('finish', () => {
      // SageMaker pings every few seconds; those lines would drown the rest.
      const level = req.path === '/ping' && res.statusCode === 200 ? 'debug' : 'info';
      res.locals.logger[level](
        {
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}

/** Status from the error class; body-parser's own errors (413, bad encoding) keep theirs; anything else is a 500. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = statusOf(error);
    const requestLogger: Logger = res.locals.logger ?? logger;
    if (status >= 500) requestLogger.error({ err: error }, 'request failed');
    res.status(status).json({ error: error instanceof Error ? error.message : String(error) });
  };
}

function statusOf(error: unknown): number {
  if (error instanceof TfserveError) return error.status;
  const httpError = error as { status?: unknown; expose?: unknown };
  if (typeof httpError.status === 'number' && httpError.expose === true) return httpError.status;
  return 500;
}
