import { InvalidArgumentError, NotFoundError } from '../errors';
import { isTfsMethod, TFS_METHODS, type TfsMethod } from '../tfs/methods';
import type { ModelRegistry, ServedModel } from './model-registry';

/**
 * The `tfs-*` settings in SageMaker's `X-Amzn-SageMaker-Custom-Attributes` header (serving contract B5.2): a
 * comma-separated list whose `tfs-model-name`, `tfs-model-version` and `tfs-method` entries pick the model, the
 * version and the TensorFlow Serving method. Every other attribute belongs to the caller and its hooks.
 *
 * The peer ignored what it could not read (a value holding `=`, an upper-case key, `tfs-modle-name`) or answered
 * 500 for it, and did not trim values (B16.11). tfserve trims values, reads keys in any case, and answers 400
 * naming the attribute for anything it cannot honour, including a model or version that is not loaded.
 */

export interface TfsAttributes {
  modelName?: string;
  modelVersion?: string;
  method?: TfsMethod;
}

const TFS_KEYS = ['tfs-model-name', 'tfs-model-version', 'tfs-method'];

export function parseCustomAttributes(header: string | undefined): TfsAttributes {
  const values = tfsValues(header);
  const modelVersion = values.get('tfs-model-version');
  const method = values.get('tfs-method');
  if (modelVersion !== undefined && !/^\d+$/.test(modelVersion)) {
    throw new InvalidArgumentError(`custom attribute tfs-model-version=${modelVersion}: a version is a number`);
  }
  if (method !== undefined && !isTfsMethod(method)) {
    throw new InvalidArgumentError(`custom attribute tfs-method=${method}: the methods are ${TFS_METHODS.join(', ')}`);
  }
  return { modelName: values.get('tfs-model-name'), modelVersion, method };
}

/** Key (lower-cased) → trimmed value of every `tfs-*` item; unknown keys, empty values and conflicts are errors. */
function tfsValues(header: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const item of header?.split(',') ?? []) {
    const equals = item.indexOf('=');
    const key = (equals < 0 ? item : item.slice(0, equals)).trim().toLowerCase();
    if (!key.startsWith('tfs-')) continue;
    if (!TFS_KEYS.includes(key)) {
      throw new InvalidArgumentError(`unknown custom attribute ${key} (tfserve reads ${TFS_KEYS.join(', ')})`);
    }
    const value = equals < 0 ? '' : item.slice(equals + 1).trim();
    if (value === '') throw new InvalidArgumentError(`custom attribute ${key} has no value`);
    const earlier = values.get(key);
    if (earlier !== undefined && earlier !== value) {
      throw new InvalidArgumentError(`custom attribute ${key} is given twice: ${earlier} and ${value}`);
    }
    values.set(key, value);
  }
  return values;
}

/**
 * The model the attributes pick. A name or version they give that the server does not have is their error, so 400
 * naming it; a version still loading or failed keeps the registry's answer (503).
 */
export function resolveServedModel(registry: ModelRegistry, { modelName, modelVersion }: TfsAttributes): ServedModel {
  if (modelName !== undefined && !registry.modelNames().includes(modelName)) {
    throw new InvalidArgumentError(
      `custom attribute tfs-model-name=${modelName}: no such model (models: ${registry.modelNames().join(', ')})`,
    );
  }
  try {
    return registry.resolve(modelName, modelVersion);
  } catch (error) {
    if (!(error instanceof NotFoundError) || modelVersion === undefined) throw error;
    const name = modelName ?? registry.defaultModelName;
    const versions = registry.status().filter((status) => status.name === name).map((status) => status.version);
    throw new InvalidArgumentError(
      `custom attribute tfs-model-version=${modelVersion}: model ${name} has no such version (versions: ${versions.join(', ')})`,
    );
  }
}
