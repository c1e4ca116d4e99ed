import express, { Router } from 'express';
import { InvalidArgumentError } from '../../errors';
import type { MultiModelStore } from './multi-model-store';

/**
 * The multi-model endpoint's management routes (contract A9): `POST /models`, `GET /models`, `GET /models/{m}`,
 * `DELETE /models/{m}`. `POST /models/{m}/invoke` is served by the app's fast invocation path (see `invokeTarget`).
 * Errors go to the app's error handler: 400 bad body, 404 unknown model, 409 already loaded, 507 over budget.
 */

export function createMmeRoutes(store: MultiModelStore, bodyLimitBytes: number): Router {
  const router = Router();
  // SageMaker's agent sends JSON; any Content-Type is read as JSON, so a missing header is not a puzzling 400.
  router.post('/models', express.json({ type: () => true, limit: bodyLimitBytes }), async (req, res) => {
    const { model_name: name, url } = loadRequest(req.body);
    await store.add(name, url);
    res.json({ success: `Successfully loaded model ${name}` });
  });
  router.get('/models', (req, res) => {
    res.json(store.list(pageSize(req.query.page_size), queryText(req.query.next_page_token, 'next_page_token')));
  });
  router.get('/models/:name', (req, res) => {
    res.json(store.get(req.params.name));
  });
  router.delete('/models/:name', async (req, res) => {
    await store.remove(req.params.name);
    res.json({ success: `Successfully unloaded model ${req.params.name}.` });
  });
  return router;
}

const INVOKE_PATH = /^\/models\/([^/]+)\/invoke$/;

/** The model a `POST /models/{m}/invoke` path names (URL-decoded), else undefined. */
export function invokeTarget(path: string): string | undefined {
  const match = INVOKE_PATH.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

function loadRequest(body: unknown): { model_name: string; url: string } {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const field of ['model_name', 'url']) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      throw new InvalidArgumentError(`the body must be JSON {"model_name": "<name>", "url": "<path>"}: ${field} is missing or not a non-empty string`);
    }
  }
  return request as { model_name: string; url: string };
}

function queryText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidArgumentError(`query parameter ${name} must be given once`);
  return value;
}

function pageSize(value: unknown): number | undefined {
  const text = queryText(value, 'page_size');
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError(`query parameter page_size=${text} must be a whole number of at least 1`);
  return Number(text);
}
