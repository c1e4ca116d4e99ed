import { NotFoundError } from '../errors';
import { isTfsMethod, type TfsMethod } from '../tfs/methods';

/** What a TF Serving REST path asks for: `/v1/models/{m}[/versions/{v}][:method | /metadata]`. */
export type TfsRoute =
  | { kind: 'status'; model: string; version?: string }
  | { kind: 'metadata'; model: string; version?: string }
  | { kind: 'method'; model: string; version?: string; method: TfsMethod };

const PATH = /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+))?(?::([A-Za-z]+)|\/(metadata))?\/?$/;

/** Parses a TF Serving REST path (already URL-decoded per segment); anything else is a 404 naming the path. */
export function parseTfsPath(path: string): TfsRoute {
  const match = PATH.exec(path);
  if (!match) throw new NotFoundError(`Not Found: ${path} is not a TensorFlow Serving REST path`);
  const [, encodedModel, encodedVersion, method, metadata] = match;
  const model = decodeURIComponent(encodedModel);
  const version = encodedVersion === undefined ? undefined : decodeURIComponent(encodedVersion);
  if (metadata) return { kind: 'metadata', model, version };
  if (method === undefined) return { kind: 'status', model, version };
  if (!isTfsMethod(method)) throw new NotFoundError(`Not Found: unknown method :${method} (expected :predict, :classify or :regress)`);
  return { kind: 'method', model, version, method };
}
