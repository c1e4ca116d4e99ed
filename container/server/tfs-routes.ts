import express from 'express';
import { NotFoundError } from '../errors';
import { formatModelMetadata, formatModelStatus, type VersionStatus as TfsVersionStatus } from '../tfs/model-status';
import { runTfsMethod } from '../tfs/methods';
import { abortOnClientClose } from './client-abort';
import type { ModelRegistry, VersionStatus } from './model-registry';
import { parseTfsPath } from './tfs-path';

export interface TfsRoutesOptions {
  /** Largest request body, in bytes. */
  bodyLimitBytes: number;
}

/**
 * TensorFlow Serving's own REST API on the same models as `/invocations`: `POST /v1/models/{m}[/versions/{v}]:predict
 * |:classify|:regress`, `GET /v1/models/{m}[/versions/{v}]` (status) and `…/metadata`, with TF Serving's response
 * shapes and error strings. Clients written for TF Serving work unchanged against the container.
 */
export function createTfsRoutes(registry: ModelRegistry, options: TfsRoutesOptions): express.Router {
  const router = express.Router();
  const body = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  router.get(/^\/v1\/models\//, (req, res) => {
    const route = parseTfsPath(req.path);
    if (route.kind === 'method') throw new NotFoundError(`Not Found: use POST for :${route.method}`);
    if (route.kind === 'metadata') {
      const served = registry.resolve(route.model, route.version);
      res.type('application/json').send(formatModelMetadata(served.name, served.version, served.model.signatures));
      return;
    }
    const versions = registry.status().filter((m) => m.name === route.model);
    if (versions.length === 0) throw new NotFoundError(`Could not find any versions of model ${route.model}`);
    const wanted = route.version === undefined ? versions : versions.filter((m) => m.version === String(Number(route.version)));
    if (wanted.length === 0) throw new NotFoundError(`Could not find version ${route.version} of model ${route.model}`);
    res.type('application/json').send(formatModelStatus(wanted.map(tfsVersionStatus)));
  });

  router.post(/^\/v1\/models\//, body, async (req, res) => {
    const route = parseTfsPath(req.path);
    if (route.kind !== 'method') throw new NotFoundError(`Not Found: POST needs :predict, :classify or :regress`);
    const served = registry.resolve(route.model, route.version);
    const request = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.type('application/json').send(await runTfsMethod(served.model, route.method, request, abortOnClientClose(res)));
  });

  return router;
}

/** TF Serving's states: a version still loading is LOADING; one that failed to load is END with its error. */
function tfsVersionStatus(status: VersionStatus): TfsVersionStatus {
  if (status.state === 'available') return { version: status.version, state: 'AVAILABLE' };
  if (status.state === 'loading') return { version: status.version, state: 'LOADING' };
  return { version: status.version, state: 'END', error: status.reason ?? 'load failed' };
}
