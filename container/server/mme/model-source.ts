import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { modelsFromListing, type ModelVersion } from '../../models/model-discovery';
import { USER_MODEL_NAME } from '../../models/model-name';

/**
 * What `POST /models` is told to load, checked before anything loads: the name SageMaker chose, the artifact
 * directory under the models root and its version directories.
 */

/**
 * A name a user picks through single-model mode's model management API: SageMaker's model-name rule, so that a
 * model tried locally can keep its name when it is deployed. (MME names stay as SageMaker sends them.)
 */
export function checkUserModelName(name: unknown): string {
  const checked = checkModelName(name);
  if (!USER_MODEL_NAME.test(checked)) {
    throw new InvalidArgumentError(`model_name ${JSON.stringify(checked)} must match ${USER_MODEL_NAME.source} (SageMaker's model name rule)`);
  }
  return checked;
}

/** SageMaker's names are opaque keys (contract "Decisions"): anything but what could escape a path or a URL segment. */
export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('model_name must be a non-empty string');
  if (name.includes('/') || name.includes('\0') || name === '..') {
    throw new InvalidArgumentError(`model_name ${JSON.stringify(name)} may not contain "/" or NUL, nor be ".."`);
  }
  return name;
}

/** The artifact directory, which must lie strictly under `root`, symlinks resolved; 404 when it does not exist. */
export async function resolveModelUrl(root: string, url: unknown): Promise<string> {
  if (typeof url !== 'string' || url === '') throw new InvalidArgumentError('url must be a non-empty string');
  const outside = () => new InvalidArgumentError(`url ${url} is not a directory under the models root ${root}`);
  if (!isStrictlyUnder(root, path.resolve(root, url))) throw outside();
  const real = await fs.realpath(path.resolve(root, url)).catch(() => undefined);
  if (real === undefined) throw new NotFoundError(`url ${url} does not exist`);
  if (!isStrictlyUnder(await fs.realpath(root), real)) throw outside();
  return real;
}

function isStrictlyUnder(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The direct `<digits>/saved_model.pb` children of `url`, ascending (the layout SageMaker's MME tars must have,
 * contract B10.3: the peer searched the whole tree but served only direct children, and then hung). 404 otherwise,
 * with the peer's message.
 */
export async function findVersions(url: string, name: string): Promise<ModelVersion[]> {
  const entries = await fs.readdir(url, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !/^\d+$/.test(entry.name)) continue;
    const file = path.join(entry.name, 'saved_model.pb');
    if (await isFile(path.join(url, file))) files.push(file);
  }
  const versions = modelsFromListing(url, files)[0]?.versions ?? [];
  if (versions.length === 0) {
    throw new NotFoundError(
      `Could not find valid base path ${url} for servable ${name}: expected <version>/saved_model.pb directly under it`,
    );
  }
  return versions;
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined))?.isFile() ?? false;
}
