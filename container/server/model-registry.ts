import type { LoadedModel } from '../engine/engine';
import { NotFoundError } from '../errors';
import { defaultModel, normalizeVersion, type DiscoveredModel } from './model-discovery';

/**
 * The loaded models of a single-model-mode server: every version of every discovered model (serving contract B8.3),
 * with a default model and, per model, its highest version as the default version.
 */

export interface ServedModel {
  name: string;
  version: string;
  dir: string;
  model: LoadedModel;
}

export type ModelLoader = (dir: string) => Promise<LoadedModel>;

export class ModelRegistry {
  private readonly byName = new Map<string, ServedModel[]>();

  /** `models` in ascending version order per name. */
  constructor(
    models: ServedModel[],
    readonly defaultModelName: string,
  ) {
    for (const served of models) {
      const versions = this.byName.get(served.name) ?? [];
      versions.push(served);
      this.byName.set(served.name, versions);
    }
    if (!this.byName.has(defaultModelName)) {
      throw new NotFoundError(`default model ${defaultModelName} is not among the loaded models`);
    }
  }

  all(): ServedModel[] {
    return [...this.byName.values()].flat();
  }

  /** The model to run: by name (default model when absent) and version (highest when absent; `007` is 7). */
  resolve(name?: string, version?: string): ServedModel {
    const modelName = name ?? this.defaultModelName;
    const versions = this.byName.get(modelName);
    const wanted = version !== undefined && /^\d+$/.test(version) ? normalizeVersion(version) : version;
    const served = versions && (wanted === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === wanted));
    if (!served) {
      const request = version === undefined ? `Latest(${modelName})` : `Specific(${modelName}, ${version})`;
      throw new NotFoundError(`Servable not found for request: ${request}`);
    }
    return served;
  }

  dispose(): void {
    for (const served of this.all()) served.model.dispose();
  }
}

/** Loads every version of every discovered model, one at a time (loading is memory-heavy, not I/O-bound). */
export async function loadRegistry(
  models: DiscoveredModel[],
  load: ModelLoader,
  configuredDefault?: string,
): Promise<ModelRegistry> {
  const defaultName = defaultModel(models, configuredDefault).name;
  const served: ServedModel[] = [];
  try {
    for (const { name, versions } of models) {
      for (const { version, dir } of versions) served.push({ name, version, dir, model: await load(dir) });
    }
  } catch (error) {
    for (const loaded of served) loaded.model.dispose();
    throw error;
  }
  return new ModelRegistry(served, defaultName);
}
