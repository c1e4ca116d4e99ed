import type { Logger } from 'pino';
import type { InferenceModule } from '../../hooks';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { loadHooks } from '../hooks/load-hooks';
import type { ModelVersion } from '../../models/model-discovery';
import { ModelSlots } from '../../models/model-slots';
import { weightBytes } from '../../models/saved-model-size';
import { createInvocationHandler, type InvocationHandler, type InvocationInput, type InvocationResult } from '../invocation';
import { ModelRegistry, withinSeconds, type ModelLoader, type ServedModel } from '../model-registry';
import { checkModelName, findVersions, resolveModelUrl } from './model-source';

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

/** What a slot holds: filled in as the load proceeds, so a model still loading can be described. */
interface StoredModel {
  url: string;
  versions: ModelVersion[];
  served: ServedModel[];
  invoke?: InvocationHandler;
}

export class MultiModelStore {
  private readonly slots: ModelSlots<StoredModel>;

  constructor(private readonly options: MultiModelStoreOptions) {
    this.slots = new ModelSlots<StoredModel>({
      budgetBytes: options.budgetBytes,
      budgetSetting: 'TFSERVE_MME_MEMORY_BUDGET_MB',
      dispose: (model) => model.served.forEach(({ model: loaded }) => loaded.dispose()),
      notLoaded,
    });
  }

  async add(modelName: unknown, url: unknown): Promise<ModelDescription> {
    const name = (this.options.checkName ?? checkModelName)(modelName);
    const model: StoredModel = { url: String(url), versions: [], served: [] };
    let bytes = 0;
    await this.slots.add(name, model, async (reserveBytes) => {
      model.url = await resolveModelUrl(this.options.root, url);
      model.versions = await findVersions(model.url, name);
      bytes = await weightBytes(model.versions.map((v) => v.dir));
      reserveBytes(bytes);
      const hooks = (await loadHooks(model.url)) ?? this.options.universalHooks;
      for (const { version, dir } of model.versions) {
        const loaded = await withinSeconds(this.options.load(dir), this.options.loadTimeoutSeconds, (late) => late.dispose());
        model.served.push({ name, version, dir, model: loaded });
      }
      model.invoke = createInvocationHandler(new ModelRegistry(model.served, name), { hooks });
    });
    this.options.logger.info({ model: name, url: model.url, versions: model.versions.map((v) => v.version), bytes }, 'model loaded');
    return describe(name, model);
  }

  get(name: string): ModelDescription {
    const slot = this.slots.get(name);
    if (!slot) throw notLoaded(name);
    return describe(name, slot.value);
  }

  /** By name; `pageToken` is the last name of the previous page, so loads and unloads between pages shift nothing. */
  list(pageSize: number | undefined, pageToken: string | undefined): ModelPage {
    const names = this.slots.names().filter((name) => pageToken === undefined || name > pageToken);
    const page = pageSize === undefined ? names : names.slice(0, pageSize);
    const models = page.map((name) => this.get(name));
    return page.length < names.length ? { models, nextPageToken: page[page.length - 1] } : { models };
  }

  invoke(name: string, input: InvocationInput): Promise<InvocationResult> {
    return this.slots.use(name, (model) => model.invoke!(input)); // a ready slot has its handler
  }

  /** Unlisted at once (new requests get 404); resolves once the requests in flight have finished and it is freed. */
  async remove(name: string): Promise<void> {
    // The peer's unload answer has no full stop, unlike its other 404s.
    if (!this.slots.get(name)) throw new NotFoundError(`Model ${name} is not loaded yet`);
    await this.slots.remove(name);
    this.options.logger.info({ model: name }, 'model unloaded');
  }

  /** Frees every model at shutdown, without waiting for requests (the server has answered them by then). */
  dispose(): void {
    this.slots.disposeAll();
  }
}

/** `/invocations` in multi-model mode: SageMaker always names the model, so a request without one is a client error. */
export const refuseUntargetedInvocation: InvocationHandler = () =>
  Promise.reject(
    new InvalidArgumentError(
      'Invocation request does not contain model name: in multi-model mode send POST /models/{model_name}/invoke',
    ),
  );

function describe(name: string, model: StoredModel): ModelDescription {
  return {
    modelName: name,
    modelUrl: model.url,
    status: model.invoke ? 'AVAILABLE' : 'LOADING',
    versions: model.versions.map((v) => v.version),
  };
}

function notLoaded(name: string): NotFoundError {
  return new NotFoundError(`Model ${name} is not loaded yet.`);
}
