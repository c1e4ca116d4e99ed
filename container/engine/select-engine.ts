import type { Engine, EngineName, LoadedModel, LoadOptions } from './engine';
import { errorMessage, loadTfjsNode, NativeEngine, type TfjsNode } from './native-engine';
import { PureEngine } from './pure-engine';

/**
 * Which engine runs a model, from TFSERVE_ENGINE (engine.md §9):
 * - `native`: tfjs-node (libtensorflow) only; an error when the binding is missing;
 * - `pure`: the pure-JS engine only;
 * - `auto` (default): native when the binding loads, else pure; and pure for any model native refuses to load
 *   (TF >= 2.13 ops libtensorflow 2.9.1 lacks, or a signature dtype tfjs-node cannot carry).
 */
export const ENGINE_VARIABLE = 'TFSERVE_ENGINE';
export const ENGINE_CHOICES = ['auto', 'native', 'pure'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

type Env = Readonly<Record<string, string | undefined>>;

export function parseEngineChoice(value: string | undefined): EngineChoice {
  if (value === undefined || value === '') return 'auto';
  if ((ENGINE_CHOICES as readonly string[]).includes(value)) return value as EngineChoice;
  throw new Error(`${ENGINE_VARIABLE}=${JSON.stringify(value)}: must be one of ${ENGINE_CHOICES.join(', ')}`);
}

export interface EngineDecision {
  requested: EngineChoice;
  /** The engine models are loaded with first; undefined when none can be (native requested, binding missing). */
  engine: EngineName | undefined;
  reason: string;
}

export interface SelectLoadOptions extends LoadOptions {
  /** Told when auto mode falls back to the pure engine for a model native refused. */
  log?: (message: string) => void;
}

export interface EngineProviders {
  /** tfjs-node, or why it is unavailable. */
  loadTfjsNode: () => TfjsNode | string;
  createNativeEngine: (tf: TfjsNode) => Engine;
  createPureEngine: () => Engine;
}

export interface EngineSelector {
  loadModel(modelDir: string, options?: SelectLoadOptions, env?: Env): Promise<LoadedModel>;
  describeEngineChoice(env?: Env): EngineDecision;
}

/** A selector over the given providers; each engine is created once, on first use, and shared by every model. */
export function createEngineSelector(providers: EngineProviders): EngineSelector {
  let binding: TfjsNode | string | undefined;
  let native: Engine | undefined;
  let pure: Engine | undefined;
  const nativeBinding = () => (binding ??= providers.loadTfjsNode());
  const nativeEngine = (tf: TfjsNode) => (native ??= providers.createNativeEngine(tf));
  const pureEngine = () => (pure ??= providers.createPureEngine());

  function describeEngineChoice(env: Env = process.env): EngineDecision {
    const requested = parseEngineChoice(env[ENGINE_VARIABLE]);
    const setting = `${ENGINE_VARIABLE}=${requested}`;
    if (requested === 'pure') return { requested, engine: 'pure', reason: setting };
    const tf = nativeBinding();
    if (typeof tf === 'string') {
      return requested === 'native'
        ? { requested, engine: undefined, reason: `${setting}, but ${tf}` }
        : { requested, engine: 'pure', reason: `${setting}: ${tf}` };
    }
    return requested === 'native'
      ? { requested, engine: 'native', reason: `${setting}: tfjs-node binding loaded` }
      : { requested, engine: 'native', reason: `${setting}: tfjs-node binding loaded; models it refuses load on the pure engine` };
  }

  async function loadModel(modelDir: string, options: SelectLoadOptions = {}, env: Env = process.env): Promise<LoadedModel> {
    const { log, ...loadOptions } = options;
    const decision = describeEngineChoice(env);
    if (decision.engine === undefined) throw new Error(`cannot load ${modelDir}: ${decision.reason}`);
    if (decision.engine === 'pure') return pureEngine().load(modelDir, loadOptions);
    const engine = nativeEngine(nativeBinding() as TfjsNode); // a native decision means the binding loaded
    if (decision.requested === 'native') return engine.load(modelDir, loadOptions);
    try {
      return await engine.load(modelDir, loadOptions);
    } catch (err) {
      log?.(`native engine refused ${modelDir} (${errorMessage(err)}); loading it on the pure engine`);
      return pureEngine().load(modelDir, loadOptions);
    }
  }

  return { loadModel, describeEngineChoice };
}

const defaultSelector = createEngineSelector({
  loadTfjsNode,
  createNativeEngine: (tf) => new NativeEngine(tf),
  createPureEngine: () => new PureEngine(),
});

/** Loads a model on the engine TFSERVE_ENGINE selects (see the top of this file). */
export const loadModel = defaultSelector.loadModel;

/** Which engine `loadModel` tries first and why, for start-up logs and `inspect`. */
export const describeEngineChoice = defaultSelector.describeEngineChoice;
