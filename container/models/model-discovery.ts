import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { NotFoundError } from '../errors';

/**
 * The TensorFlow Serving container's model discovery (serving contract B8): every `saved_model.pb` whose parent
 * directory name is all digits is a version of the model named after its grandparent directory. So
 * `<root>/half_plus_three/00000123/saved_model.pb` is version 123 of `half_plus_three`, `<root>/123/saved_model.pb`
 * is version 123 of a model named after the root itself, and `<root>/export/Servo/1/saved_model.pb` is `Servo`.
 * Hidden (dot) directories are skipped. Unlike the peer, results are sorted, so the default model does not depend
 * on the file system's listing order.
 */

export interface ModelVersion {
  /** Decimal version without leading zeros (`00000123` → `123`, `000` → `0`). */
  version: string;
  /** The SavedModel directory. */
  dir: string;
}

export interface DiscoveredModel {
  name: string;
  /** The directory holding the version directories. */
  basePath: string;
  /** Ascending by version number; the last one is the default. */
  versions: ModelVersion[];
}

const SAVED_MODEL_FILE = 'saved_model.pb';

/** Pure part: the models described by the `saved_model.pb` files found under `root` (paths relative to it). */
export function modelsFromListing(root: string, savedModelFiles: string[]): DiscoveredModel[] {
  const byBase = new Map<string, ModelVersion[]>();
  for (const file of savedModelFiles) {
    const versionDir = path.dirname(path.join(root, file));
    const versionName = path.basename(versionDir);
    if (!/^\d+$/.test(versionName)) continue;
    const basePath = path.dirname(versionDir);
    const versions = byBase.get(basePath) ?? [];
    versions.push({ version: normalizeVersion(versionName), dir: versionDir });
    byBase.set(basePath, versions);
  }
  const models = [...byBase].map(([basePath, versions]) => ({
    name: path.basename(basePath),
    basePath,
    versions: sortVersions(basePath, versions),
  }));
  models.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < models.length; i++) {
    if (models[i].name === models[i - 1].name) {
      throw new NotFoundError(
        `two models are both named ${models[i].name}: ${models[i - 1].basePath} and ${models[i].basePath}; rename one directory`,
      );
    }
  }
  return models;
}

export function normalizeVersion(versionName: string): string {
  return BigInt(versionName).toString();
}

function sortVersions(basePath: string, versions: ModelVersion[]): ModelVersion[] {
  const sorted = [...versions].sort((a, b) => compareVersions(a.version, b.version) || (a.dir < b.dir ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].version === sorted[i - 1].version) {
      throw new NotFoundError(
        `${basePath} holds version ${sorted[i].version} twice: ${sorted[i - 1].dir} and ${sorted[i].dir}; keep one directory`,
      );
    }
  }
  return sorted;
}

function compareVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function defaultVersion(model: DiscoveredModel): ModelVersion {
  return model.versions[model.versions.length - 1];
}

/** The model that requests naming none go to: the configured name, else the first by name. */
export function defaultModel(models: DiscoveredModel[], configuredName?: string): DiscoveredModel {
  if (configuredName === undefined) return models[0];
  const model = models.find((m) => m.name === configuredName);
  if (!model) {
    throw new NotFoundError(
      `SAGEMAKER_TFS_DEFAULT_MODEL_NAME=${configuredName} names no discovered model (found: ${models.map((m) => m.name).join(', ')})`,
    );
  }
  return model;
}

/** Discovers the models under `root`; throws naming the directory when there are none. */
export async function discoverModels(modelDir: string): Promise<DiscoveredModel[]> {
  const root = path.resolve(modelDir);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new NotFoundError(`model directory ${root} does not exist or is not a directory`);
  const models = modelsFromListing(root, await listSavedModelFiles(root));
  if (models.length === 0) {
    const bare = await fs.stat(path.join(root, SAVED_MODEL_FILE)).catch(() => undefined);
    const hint = bare
      ? `; ${root} is itself a SavedModel: put it in a numeric version directory, e.g. <models>/<name>/1/`
      : '';
    throw new NotFoundError(
      `no SavedModel bundles found under ${root}: expected <name>/<version>/${SAVED_MODEL_FILE} with an all-digit version directory${hint}`,
    );
  }
  return models;
}

/** Paths (relative to root) of every `saved_model.pb`, skipping hidden directories and not following symlinks. */
async function listSavedModelFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const entryPath = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...(await listSavedModelFiles(root, entryPath)));
    else if (entry.name === SAVED_MODEL_FILE && entry.isFile()) found.push(entryPath);
  }
  return found;
}
