import * as path from 'node:path';
import type * as tfc from '@tensorflow/tfjs-core';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, UnsupportedModelError } from '../errors';
import type { NamedTensors } from '../formats/tensor';
import {
  DEFAULT_SIGNATURE,
  DEFAULT_TAGS,
  type Engine,
  type LoadedModel,
  type LoadOptions,
  type RunOptions,
  type SignatureInfo,
} from './engine';
import { readSavedModel, selectMetaGraph, signaturesOf } from './saved-model';
import { fromTfjs, tfjsDtypeOf, toTfjs, type TfCore } from './tfjs-tensors';

/**
 * The part of `@tensorflow/tfjs-node` 4.22 this engine uses (engine.md §3), declared here because the package is an
 * optional dependency whose types may be absent.
 */
export interface TfjsNodeSavedModel {
  predict(inputs: tfc.NamedTensorMap): tfc.Tensor | tfc.Tensor[] | tfc.NamedTensorMap;
  dispose(): void;
}

export interface TfjsNode extends TfCore {
  node: {
    loadSavedModel(path: string, tags?: string[], signature?: string): Promise<TfjsNodeSavedModel>;
  };
}

let tfjsNodeLoad: TfjsNode | string | undefined;

/**
 * `@tensorflow/tfjs-node`, or why it cannot be used. Required lazily: importing it without its native addon
 * (libtensorflow could not be downloaded at install time) throws. Memoised because a failed require re-runs the
 * package's start-up code every time.
 */
export function loadTfjsNode(): TfjsNode | string {
  if (tfjsNodeLoad === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      tfjsNodeLoad = require('@tensorflow/tfjs-node') as TfjsNode;
    } catch (err) {
      tfjsNodeLoad = `tfjs-node binding unavailable: ${errorMessage(err).split('\n')[0]}`; // not Node's require stack
    }
  }
  return tfjsNodeLoad;
}

/** Duck-typed: errors thrown by `require` under jest come from another realm and fail `instanceof Error`. */
export function errorMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}

function sameElements(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
}

/** Runs SavedModels through libtensorflow via tfjs-node, which is passed in so tests can stub it. */
export class NativeEngine implements Engine {
  readonly name = 'native' as const;

  constructor(private readonly tf: TfjsNode) {}

  /**
   * Signatures come from the same saved_model.pb reader as the pure engine's, so both engines describe a model alike
   * (tfjs-node's own MetaGraph listing drops `method_name` and unknown ranks).
   */
  async load(modelDir: string, options: LoadOptions = {}): Promise<LoadedModel> {
    const tags = options.tags ?? DEFAULT_TAGS;
    const metaGraph = selectMetaGraph(readSavedModel(modelDir), tags);
    const signatures = signaturesOf(metaGraph, path.join(modelDir, 'saved_model.pb'));
    const model = new NativeModel(this.tf, modelDir, tags, signatures);
    await model.loadEagerly();
    return model;
  }
}

class NativeModel implements LoadedModel {
  readonly engine = 'native' as const;
  private readonly loaded = new Map<string, TfjsNodeSavedModel>();
  private readonly loading = new Map<string, Promise<TfjsNodeSavedModel>>();
  private disposed = false;

  constructor(
    private readonly tf: TfjsNode,
    private readonly modelDir: string,
    readonly tags: string[],
    readonly signatures: Record<string, SignatureInfo>,
  ) {}

  /**
   * Creates the TF session now, through one signature, so a model tfjs-node rejects fails at load, where the caller
   * can fall back, not at the first request: libtensorflow 2.9.1 lacks ops of TF >= 2.13 ("Op type not registered
   * 'DisableCopyOnRead'"), and tfjs-node refuses any signature dtype beyond float32, int32, int64, uint8, bool and
   * string ("Unsupported tensor DataType"). tfjs-node shares the session between signatures of the same path and
   * tags, so the others load cheaply later.
   */
  async loadEagerly(): Promise<void> {
    const keys = Object.keys(this.signatures);
    const first = keys.includes(DEFAULT_SIGNATURE) ? DEFAULT_SIGNATURE : keys[0];
    if (first !== undefined) await this.savedModel(first);
  }

  private savedModel(key: string): Promise<TfjsNodeSavedModel> {
    const ready = this.loaded.get(key);
    if (ready) return Promise.resolve(ready);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.tf.node.loadSavedModel(this.modelDir, this.tags, key).then(
        (model) => {
          this.loading.delete(key);
          if (this.disposed) {
            model.dispose();
            throw this.disposedError();
          }
          this.loaded.set(key, model);
          return model;
        },
        (err: unknown) => {
          this.loading.delete(key);
          throw new UnsupportedModelError(`${this.modelDir}: tfjs-node cannot load signature '${key}': ${errorMessage(err)}`);
        },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }

  async run(signatureKey: string, inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    options.signal?.throwIfAborted();
    if (this.disposed) throw this.disposedError();
    const signature = this.signatures[signatureKey];
    if (!signature) {
      const available = Object.keys(this.signatures).join(', ');
      throw new NotFoundError(`${this.modelDir}: signature '${signatureKey}' not found; available: ${available}`);
    }
    const expected = Object.keys(signature.inputs);
    const provided = Object.keys(inputs);
    if (!sameElements(expected, provided)) {
      throw new InvalidArgumentError(
        `The model signatureDef input names are ${expected.join()}, however the provided input names are ${provided.join()}.`,
      );
    }
    const model = await this.savedModel(signatureKey);
    const fed: tfc.NamedTensorMap = {};
    let result: ReturnType<TfjsNodeSavedModel['predict']> | undefined;
    try {
      for (const [key, spec] of Object.entries(signature.inputs)) {
        fed[key] = toTfjs(this.tf, inputs[key], tfjsDtypeOf(spec.dtype), `input '${key}'`);
      }
      result = model.predict(fed);
      return this.readOutputs(signature, result);
    } finally {
      this.tf.dispose(Object.values(fed));
      if (result) this.tf.dispose(result instanceof this.tf.Tensor || Array.isArray(result) ? result : Object.values(result));
    }
  }

  private readOutputs(signature: SignatureInfo, result: ReturnType<TfjsNodeSavedModel['predict']>): NamedTensors {
    if (result instanceof this.tf.Tensor || Array.isArray(result)) {
      throw new UnsupportedModelError(`${this.modelDir}: tfjs-node returned unnamed outputs for signature '${signature.key}'`);
    }
    const outputs: NamedTensors = {};
    for (const [key, spec] of Object.entries(signature.outputs)) {
      const t = result[key];
      if (!t) throw new UnsupportedModelError(`${this.modelDir}: tfjs-node returned no tensor for output '${key}' of '${signature.key}'`);
      outputs[key] = fromTfjs(this.tf, t, spec.dtype, `output '${key}'`);
    }
    return outputs;
  }

  private disposedError(): FailedPreconditionError {
    return new FailedPreconditionError(`${this.modelDir}: the model has been unloaded`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const model of this.loaded.values()) model.dispose();
    this.loaded.clear(); // models still loading dispose themselves when they arrive
  }
}
