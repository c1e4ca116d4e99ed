import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { unpackModelArchive } from '../archive';
import { FailedPreconditionError, NotFoundError } from '../errors';
import { defaultVersion, discoverModels } from '../models/model-discovery';

/**
 * Where LoadModel's `url` (a local path, as in the original agent) keeps the SavedModel to load:
 * - a SavedModel directory (`saved_model.pb` directly inside);
 * - a `<name>/<version>/` layout: a model directory holding version directories, or a root holding one model,
 *   found the way the HTTP container finds models; the highest version is served;
 * - a `model.tar.gz` (or `.tgz`) of either, unpacked into a fresh temporary directory that unloading removes.
 * Nothing at the path is NOT_FOUND; something that holds no single model is FAILED_PRECONDITION.
 */

export interface ModelLocation {
  /** The SavedModel directory to load. */
  dir: string;
  /** Removes what locating the model created (the unpacked archive); absent for a directory used in place. */
  cleanup?: () => Promise<void>;
}

const SAVED_MODEL_FILE = 'saved_model.pb';
const ARCHIVE = /\.(tar\.gz|tgz)$/;

export async function locateModel(url: string): Promise<ModelLocation> {
  if (url === '') throw new NotFoundError('url is empty: give the local path of a SavedModel directory or a model.tar.gz');
  const stat = await fs.stat(url).catch(() => undefined);
  if (!stat) throw new NotFoundError(`nothing at url ${url}`);
  if (stat.isDirectory()) return { dir: await savedModelDir(url) };
  if (!stat.isFile() || !ARCHIVE.test(url)) {
    throw new FailedPreconditionError(`url ${url} is neither a directory nor a .tar.gz/.tgz model archive`);
  }
  const unpacked = await fs.mkdtemp(path.join(os.tmpdir(), 'tfserve-agent-model-'));
  const cleanup = () => fs.rm(unpacked, { recursive: true, force: true });
  try {
    const root = path.join(unpacked, 'model');
    await unpackModelArchive(url, root).catch((error: unknown) => {
      throw new FailedPreconditionError(`cannot unpack ${url}: ${(error as Error).message}`);
    });
    return { dir: await savedModelDir(root), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function savedModelDir(dir: string): Promise<string> {
  if ((await fs.stat(path.join(dir, SAVED_MODEL_FILE)).catch(() => undefined))?.isFile()) return path.resolve(dir);
  const models = await discoverModels(dir).catch((error: unknown) => {
    throw new FailedPreconditionError(`${dir} holds no SavedModel to load: ${(error as Error).message}`);
  });
  if (models.length > 1) {
    throw new FailedPreconditionError(
      `${dir} holds ${models.length} models (${models.map((m) => m.name).join(', ')}); point url at one of them`,
    );
  }
  return defaultVersion(models[0]).dir;
}
