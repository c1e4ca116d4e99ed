import type { Logger } from 'pino';
import type { LoadedModel } from '../engine/engine';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { USER_MODEL_NAME } from '../models/model-name';
import { ModelSlots } from '../models/model-slots';
import { weightBytes } from '../models/saved-model-size';
import type { WireModel, WireTensor } from './agent-proto';
import { locateModel, type ModelLocation } from './model-location';
import { decodePredictInputs, encodeOutputs } from './tensor-codec';
import { agentSignature, metadataOf, type AgentSignature } from './tensor-metadata';

/**
 * The agent's models: LoadModel, UnLoadModel, ListModels, DescribeModel and Predict on the shared model store
 * (ModelSlots: one slot per name, the memory budget, unloads that wait for Predicts in flight) and the engine.
 * Predicts to one model run one at a time, as the original agent serializes them; different models run concurrently.
 */

export interface AgentModelsOptions {
  /** Loads a SavedModel directory on the engine (TFSERVE_ENGINE selects which). */
  load: (dir: string) => Promise<LoadedModel>;
  budgetBytes: number;
  /** The setting that sets the budget, named when a load would exceed it. */
  budgetSetting: string;
  logger: Logger;
}

interface AgentModel {
  url: string;
  location?: ModelLocation;
  loaded?: LoadedModel;
  signature?: AgentSignature;
  /** The tail of this model's Predict queue. */
  queue: Promise<unknown>;
}

export class AgentModels {
  private readonly slots: ModelSlots<AgentModel>;
  /** Unpacked archives being removed; `close` waits for them. */
  private readonly cleanups = new Set<Promise<void>>();

  constructor(private readonly options: AgentModelsOptions) {
    this.slots = new ModelSlots<AgentModel>({
      budgetBytes: options.budgetBytes,
      budgetSetting: options.budgetSetting,
      dispose: (model) => this.free(model),
      notLoaded: (name) => new NotFoundError(`model ${name} is not loaded`),
    });
  }

  async load(name: string, url: string): Promise<WireModel> {
    checkName(name);
    const model: AgentModel = { url, queue: Promise.resolve() };
    await this.slots.add(name, model, async (reserveBytes) => {
      model.location = await locateModel(url);
      reserveBytes(await weightBytes([model.location.dir]));
      model.loaded = await this.options.load(model.location.dir);
      model.signature = agentSignature(model.loaded.signatures, model.location.dir);
    });
    this.options.logger.info({ model: name, url, dir: model.location?.dir, engine: model.loaded?.engine }, 'model loaded');
    return describe(name, model);
  }

  /** Resolves once the Predicts in flight on the model have answered and it is freed. */
  async unload(name: string): Promise<void> {
    // A model still loading is not there yet for the client: the original's LoadModel answers only once loaded.
    if (!this.slots.get(name)?.ready) throw new NotFoundError(`model ${name} is not loaded`);
    await this.slots.remove(name);
    this.options.logger.info({ model: name }, 'model unloaded');
  }

  /** The loaded models by name; models still loading are left out. */
  list(): WireModel[] {
    return this.slots.names().flatMap((name) => {
      const slot = this.slots.get(name);
      return slot?.ready ? [describe(name, slot.value)] : [];
    });
  }

  describe(name: string): WireModel {
    const slot = this.slots.get(name);
    if (!slot?.ready) throw new NotFoundError(`model ${name} is not loaded`);
    return describe(name, slot.value);
  }

  predict(name: string, tensors: WireTensor[]): Promise<WireTensor[]> {
    return this.slots.use(name, (model) => {
      const signature = model.signature!; // a ready slot is fully loaded
      const inputs = decodePredictInputs(name, tensors, signature.inputs);
      const run = model.queue.then(() => model.loaded!.run(signature.key, inputs));
      model.queue = run.catch(() => undefined);
      return run.then((outputs) => encodeOutputs(outputs, signature.outputs));
    });
  }

  /** Frees every model and removes the unpacked archives (at shutdown, once no request is in flight). */
  async close(): Promise<void> {
    this.slots.disposeAll();
    await Promise.all(this.cleanups);
  }

  private free(model: AgentModel): void {
    model.loaded?.dispose();
    const cleanup = model.location?.cleanup?.();
    if (!cleanup) return;
    const tracked = cleanup
      .catch((error: unknown) => this.options.logger.warn({ err: error, dir: model.location?.dir }, 'could not remove an unpacked model'))
      .finally(() => this.cleanups.delete(tracked));
    this.cleanups.add(tracked);
  }
}

function checkName(name: string): void {
  if (!USER_MODEL_NAME.test(name)) {
    throw new InvalidArgumentError(`model name ${JSON.stringify(name)} must match ${USER_MODEL_NAME.source}`);
  }
}

function describe(name: string, model: AgentModel): WireModel {
  return {
    url: model.url,
    name,
    input_tensor_metadatas: model.signature?.inputs.map(metadataOf) ?? [],
    output_tensor_metadatas: model.signature?.outputs.map(metadataOf) ?? [],
  };
}
