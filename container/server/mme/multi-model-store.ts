import type { Logger } from 'pino';
import type { InferenceModule } from '../../hooks';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { MB } from '../config';
import { loadHooks } from '../hooks/load-hooks';
import { createInvocationHandler, type InvocationHandler, type InvocationInput, type InvocationResult } from '../invocation';
import type { ModelVersion } from '../model-discovery';
import { ModelRegistry, withinSeconds, type ModelLoader, type ServedModel } from '../model-registry';
import { ConflictError, InsufficientStorageError } from './mme-errors';
import { checkModelName, findVersions, resolveModelUrl, weightBytes } from './model-source';

/**
 * The models of a multi-model endpoint (contract A9, B10): loaded and unloaded at SageMaker's request, each with
 * its own small ModelRegistry and `/invocations` pipeline, so `/models/{m}/invoke` takes exactly the path
 * `/invocations` takes (content types, custom attributes, hooks). Hooks come from the model's own `code/`, else the
 * universal `<root>/code/`.
 *
 * Unlike the peer (B10.5), state is one map in one process: a name is reserved before the first await, so of two
 * concurrent loads one wins and the other gets 409; the memory budget replaces the port pool as the capacity limit;
 * an unload waits for the requests in flight on that model before freeing it.
 */

export interface MultiModelStoreOptions {
  /** The models root (`/opt/ml/models`); every `url` must lie under it. */
  root: string;
  load: ModelLoader;
  /** The weight bytes all loaded models may hold together (TFSERVE_MME_MEMORY_BUDGET_MB). */
  budgetBytes: number;
  /** Bound on loading one version (TFSERVE_MODEL_LOAD_TIMEOUT_SECONDS); a load finishing later is freed. */
  loadTimeoutSeconds: number;
  /** From `<root>/code/`, for models without a `code/` of their own. */
  universalHooks?: InferenceModule;
  /** Validates `model_name`; default: SageMaker's MME names (checkModelName). */
  checkName?: (name: unknown) => string;
  logger: Logger;
}

export type ModelState = 'LOADING' | 'AVAILABLE';

export interface ModelDescription {
  modelName: string;
  modelUrl: string;
  status: ModelState;
  versions: string[];
}

export interface ModelPage {
  models: ModelDescription[];
  /** The name to pass as `next_page_token` for the next page; absent on the last page. */
  nextPageToken?: string;
}

interface Entry {
  name: string;
  url: string;
  versions: ModelVersion[];
  bytes: number;
  served: ServedModel[];
  invoke?: InvocationHandler;
  inFlight: number;
  onIdle?: () => void;
}

export class MultiModelStore {
  private readonly entries = new Map<string, Entry>();
  /** Bytes of unloaded models still answering their last requests: freed only once disposed. */
  private drainingBytes = 0;

  constructor(private readonly options: MultiModelStoreOptions) {}

  async add(modelName: unknown, url: unknown): Promise<ModelDescription> {
    const name = (this.options.checkName ?? checkModelName)(modelName);
    if (this.entries.has(name)) throw new ConflictError(`Model ${name} is already loaded.`);
    const entry: Entry = { name, url: String(url), versions: [], bytes: 0, served: [], inFlight: 0 };
    this.entries.set(name, entry);
    try {
      entry.url = await resolveModelUrl(this.options.root, url);
      entry.versions = await findVersions(entry.url, name);
      this.reserve(entry, await weightBytes(entry.versions));
      const hooks = (await loadHooks(entry.url)) ?? this.options.universalHooks;
      for (const { version, dir } of entry.versions) {
        const model = await withinSeconds(this.options.load(dir), this.options.loadTimeoutSeconds, (late) => late.dispose());
        entry.served.push({ name, version, dir, model });
      }
      entry.invoke = createInvocationHandler(new ModelRegistry(entry.served, name), { hooks });
    } catch (error) {
      this.entries.delete(name);
      for (const { model } of entry.served) model.dispose();
      throw error;
    }
    this.options.logger.info({ model: name, url: entry.url, versions: entry.versions.map((v) => v.version), bytes: entry.bytes }, 'model loaded');
    return describe(entry);
  }

  get(name: string): ModelDescription {
    const entry = this.entries.get(name);
    if (!entry) throw notLoaded(name);
    return describe(entry);
  }

  /** By name; `pageToken` is the last name of the previous page, so loads and unloads between pages shift nothing. */
  list(pageSize: number | undefined, pageToken: string | undefined): ModelPage {
    const names = [...this.entries.keys()].sort().filter((name) => pageToken === undefined || name > pageToken);
    const page = pageSize === undefined ? names : names.slice(0, pageSize);
    const models = page.map((name) => describe(this.entries.get(name)!));
    return page.length < names.length ? { models, nextPageToken: page[page.length - 1] } : { models };
  }

  async invoke(name: string, input: InvocationInput): Promise<InvocationResult> {
    const entry = this.entries.get(name);
    if (!entry?.invoke) throw notLoaded(name);
    entry.inFlight++;
    try {
      return await entry.invoke(input);
    } finally {
      if (--entry.inFlight === 0) entry.onIdle?.();
    }
  }

  /** Unlisted at once (new requests get 404); resolves once the requests in flight have finished and it is freed. */
  async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new NotFoundError(`Model ${name} is not loaded yet`);
    if (!entry.invoke) throw new ConflictError(`Model ${name} is still loading; unload it once its load has answered`);
    this.entries.delete(name);
    this.drainingBytes += entry.bytes;
    if (entry.inFlight > 0) await new Promise<void>((resolve) => (entry.onIdle = resolve));
    for (const { model } of entry.served) model.dispose();
    this.drainingBytes -= entry.bytes;
    this.options.logger.info({ model: name }, 'model unloaded');
  }

  /** Frees every model at shutdown, without waiting for requests (the server has answered them by then). */
  dispose(): void {
    for (const entry of this.entries.values()) for (const { model } of entry.served) model.dispose();
    this.entries.clear();
  }

  /** Synchronous between the check and the reservation, so concurrent loads cannot overshoot the budget together. */
  private reserve(entry: Entry, bytes: number): void {
    let used = this.drainingBytes;
    for (const other of this.entries.values()) used += other.bytes;
    if (used + bytes > this.options.budgetBytes) {
      throw new InsufficientStorageError(
        `Memory exhausted: model ${entry.name} needs ${megabytes(bytes)} of weights, ${megabytes(used)} of the ` +
          `${megabytes(this.options.budgetBytes)} budget (TFSERVE_MME_MEMORY_BUDGET_MB) are in use; unload a model first`,
      );
    }
    entry.bytes = bytes;
  }
}

/** `/invocations` in multi-model mode: SageMaker always names the model, so a request without one is a client error. */
export const refuseUntargetedInvocation: InvocationHandler = () =>
  Promise.reject(
    new InvalidArgumentError(
      'Invocation request does not contain model name: in multi-model mode send POST /models/{model_name}/invoke',
    ),
  );

function describe(entry: Entry): ModelDescription {
  return {
    modelName: entry.name,
    modelUrl: entry.url,
    status: entry.invoke ? 'AVAILABLE' : 'LOADING',
    versions: entry.versions.map((v) => v.version),
  };
}

function notLoaded(name: string): NotFoundError {
  return new NotFoundError(`Model ${name} is not loaded yet.`);
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(2)} MB`;
}
