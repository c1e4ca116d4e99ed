import type { LoadedModel } from '../engine/engine';
import { NotFoundError, UnavailableError } from '../errors';
import { defaultModel, normalizeVersion, type DiscoveredModel } from '../models/model-discovery';

/**
 * The model versions of a single-model-mode server (serving contract B8.3: every version of every discovered model)
 * and the state of each: loading, available, or failed with the reason. The server listens while models load, so
 * requests may find a version in any state; `/ping` is ready only when every version is available.
 */

export interface ServedModel {
  name: string;
  version: string;
  dir: string;
  model: LoadedModel;
}

export type VersionState = 'loading' | 'available' | 'failed';

export interface VersionStatus {
  name: string;
  version: string;
  dir: string;
  state: VersionState;
  /** Why the load failed. */
  reason?: string;
}

export type ModelLoader = (dir: string) => Promise<LoadedModel>;

interface Entry extends VersionStatus {
  model?: LoadedModel;
}

export class ModelRegistry {
  private readonly byName = new Map<string, Entry[]>();

  /**
   * `versions` in ascending version order per name: loaded models (available), or statuses (e.g. still loading).
   */
  constructor(
    versions: (ServedModel | VersionStatus)[],
    readonly defaultModelName: string,
  ) {
    for (const version of versions) this.add('model' in version ? { ...version, state: 'available' } : { ...version });
    if (versions.length > 0 && !this.byName.has(defaultModelName)) {
      throw new NotFoundError(`default model ${defaultModelName} is not among the loaded models`);
    }
  }

  /** No models, as a multi-model endpoint starts (its models live in mme/): `/ping` is ready, every lookup a 404. */
  static empty(): ModelRegistry {
    return new ModelRegistry([], '');
  }

  /** Every version of the discovered models, all loading; the default model as SAGEMAKER_TFS_DEFAULT_MODEL_NAME says. */
  static discovered(models: DiscoveredModel[], configuredDefault?: string): ModelRegistry {
    const versions = models.flatMap(({ name, versions }) =>
      versions.map(({ version, dir }): VersionStatus => ({ name, version, dir, state: 'loading' })),
    );
    return new ModelRegistry(versions, defaultModel(models, configuredDefault).name);
  }

  /** The available versions. */
  all(): ServedModel[] {
    return this.entries().flatMap(({ name, version, dir, model }) => (model ? [{ name, version, dir, model }] : []));
  }

  status(): VersionStatus[] {
    return this.entries().map(({ name, version, dir, state, reason }) => ({ name, version, dir, state, ...(reason === undefined ? {} : { reason }) }));
  }

  modelNames(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * The model to run: by name (default model when absent) and version (highest when absent; `007` is 7). 404 for
   * an unknown model or version, 503 for one that is loading or failed to load.
   */
  resolve(name?: string, version?: string): ServedModel {
    const modelName = name ?? this.defaultModelName;
    const versions = this.byName.get(modelName);
    const wanted = version !== undefined && /^\d+$/.test(version) ? normalizeVersion(version) : version;
    const entry = versions && (wanted === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === wanted));
    if (!entry) {
      const request = version === undefined ? `Latest(${modelName})` : `Specific(${modelName}, ${version})`;
      throw new NotFoundError(`Servable not found for request: ${request}`);
    }
    if (entry.state === 'loading') throw new UnavailableError(`model ${entry.name} version ${entry.version} is still loading`);
    if (entry.state === 'failed') {
      throw new UnavailableError(`model ${entry.name} version ${entry.version} failed to load: ${entry.reason}`);
    }
    return { name: entry.name, version: entry.version, dir: entry.dir, model: entry.model! };
  }

  markAvailable(dir: string, model: LoadedModel): void {
    Object.assign(this.entry(dir), { state: 'available', model });
  }

  markFailed(dir: string, reason: string): void {
    Object.assign(this.entry(dir), { state: 'failed', reason });
  }

  dispose(): void {
    for (const entry of this.entries()) entry.model?.dispose();
  }

  private entries(): Entry[] {
    return [...this.byName.values()].flat();
  }

  private entry(dir: string): Entry {
    const entry = this.entries().find((e) => e.dir === dir);
    if (!entry) throw new NotFoundError(`no model version is registered at ${dir}`);
    return entry;
  }

  private add(entry: Entry): void {
    const versions = this.byName.get(entry.name) ?? [];
    versions.push(entry);
    this.byName.set(entry.name, versions);
  }
}

export interface LoadVersionsOptions {
  /** Bound on each version's load; past it the version is failed and a load that finishes later is freed. */
  timeoutSeconds: number;
  /** Told as each version settles. */
  onSettled?: (status: VersionStatus, model?: LoadedModel) => void;
}

/** Loads every loading version, one at a time (loading is memory-heavy, not I/O-bound); never rejects. */
export async function loadVersions(registry: ModelRegistry, load: ModelLoader, options: LoadVersionsOptions): Promise<void> {
  for (const { name, version, dir, state } of registry.status()) {
    if (state !== 'loading') continue;
    try {
      const model = await withinSeconds(load(dir), options.timeoutSeconds, (model) => model.dispose());
      registry.markAvailable(dir, model);
      options.onSettled?.({ name, version, dir, state: 'available' }, model);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      registry.markFailed(dir, reason);
      options.onSettled?.({ name, version, dir, state: 'failed', reason });
    }
  }
}

/** Rejects past `seconds` (naming TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS); a value that arrives later is discarded. */
export function withinSeconds<T>(work: Promise<T>, seconds: number, discardLate: (value: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error(`did not load within ${seconds} s (TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS); set it higher for large models`));
    }, seconds * 1000);
    work.then(
      (value) => (late ? discardLate(value) : resolve(value)),
      (error: unknown) => reject(error),
    ).finally(() => clearTimeout(timer));
  });
}
