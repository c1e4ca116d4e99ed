import * as path from 'node:path';
import { modelsFromListing } from '../models/model-discovery';
import type { ArchiveModel, ArchiveProblem } from './archive-types';

/**
 * Whether a list of archive paths is a models root the container can serve once SageMaker extracts it into
 * /opt/ml/model: models found exactly as the container's discovery finds them (serving contract B8), plus the
 * mistakes that discovery would silently ignore — a bare SavedModel at the root, a SavedModel outside a numeric
 * version directory, a version directory with no SavedModel, a `code/` that is not at the root (B7.1).
 */

const SAVED_MODEL = 'saved_model.pb';
const MODEL_ROOT = '/opt/ml/model';

export interface LayoutEntry {
  /** Normalized relative path (`a/b`, no trailing slash). */
  path: string;
  isDir: boolean;
}

export interface Layout {
  models: ArchiveModel[];
  hasCode: boolean;
  problems: ArchiveProblem[];
  /** Version directories (relative) whose saved_model.pb should be parsed. */
  savedModelDirs: string[];
}

const isHidden = (relative: string): boolean => relative.split('/').some((segment) => segment.startsWith('.'));

function allDirs(entries: LayoutEntry[]): Set<string> {
  const dirs = new Set<string>();
  for (const { path: entry, isDir } of entries) {
    const segments = entry.split('/');
    for (let i = 1; i < segments.length + (isDir ? 1 : 0); i++) dirs.add(segments.slice(0, i).join('/'));
  }
  return dirs;
}

function misplacedSavedModels(savedModels: string[]): ArchiveProblem[] {
  return savedModels.flatMap((file): ArchiveProblem[] => {
    const dir = path.posix.dirname(file);
    if (dir === '.') {
      const message =
        'the archive root is a single SavedModel; the container expects <name>/<version>/saved_model.pb: move it under <name>/1/';
      return [{ entry: file, message }];
    }
    if (!/^\d+$/.test(path.posix.basename(dir))) {
      const message = `not in a numeric version directory, so the container ignores it: move it under ${dir}/1/`;
      return [{ entry: file, message }];
    }
    return [];
  });
}

function misplacedCode(entries: LayoutEntry[]): ArchiveProblem[] {
  return entries
    .filter((e) => !e.isDir && /^.+\/code\/inference\.py$/.test(e.path))
    .map((e) => ({ entry: e.path, message: 'code/ is only read at the archive root; the container ignores this one' }));
}

function textSavedModels(entries: LayoutEntry[]): ArchiveProblem[] {
  return entries
    .filter((e) => !e.isDir && path.posix.basename(e.path) === 'saved_model.pbtxt')
    .map((e) => ({ entry: e.path, message: 'text-format SavedModels are not supported; export saved_model.pb' }));
}

/** Every numeric directory directly under `base`, ascending by number: the versions the container would serve. */
function versionDirsOf(dirs: Set<string>, base: string): string[] {
  const parent = base === '' ? '.' : base;
  return [...dirs]
    .filter((dir) => path.posix.dirname(dir) === parent && /^\d+$/.test(path.posix.basename(dir)))
    .sort((a, b) => Number(BigInt(path.posix.basename(a)) - BigInt(path.posix.basename(b))));
}

export function checkLayout(entries: LayoutEntry[]): Layout {
  const visible = entries.filter((e) => !isHidden(e.path));
  const savedModels = visible.filter((e) => !e.isDir && path.posix.basename(e.path) === SAVED_MODEL).map((e) => e.path);
  const problems = [...misplacedSavedModels(savedModels), ...misplacedCode(visible), ...textSavedModels(visible)];
  const relative = (dir: string): string => path.relative(MODEL_ROOT, dir).split(path.sep).join('/');
  let discovered: ReturnType<typeof modelsFromListing> = [];
  try {
    discovered = modelsFromListing(MODEL_ROOT, savedModels);
  } catch (error) {
    problems.push({ message: error instanceof Error ? error.message.replaceAll(`${MODEL_ROOT}/`, '') : String(error) });
  }
  if (discovered.length === 0 && problems.length === 0) {
    const message = 'no SavedModel found: expected <name>/<version>/saved_model.pb (e.g. half_plus_three/1/saved_model.pb)';
    problems.push({ message });
  }
  const dirs = allDirs(visible);
  const savedModelSet = new Set(savedModels);
  const models = discovered.map((model) => {
    const versionDirs = versionDirsOf(dirs, relative(model.basePath));
    for (const dir of versionDirs) {
      if (!savedModelSet.has(`${dir}/${SAVED_MODEL}`)) {
        problems.push({ entry: `${dir}/`, message: 'version directory without saved_model.pb; the model would fail to load' });
      }
    }
    return { name: model.name, versions: versionDirs.map((dir) => path.posix.basename(dir)) };
  });
  const savedModelDirs = discovered.flatMap((model) => model.versions.map((version) => relative(version.dir)));
  return { models, hasCode: dirs.has('code'), problems, savedModelDirs };
}
