import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { FailedPreconditionError, FormatError, InvalidArgumentError, NotFoundError } from '../errors';
import type { NamedTensors } from '../formats/tensor';
import { TensorBundle } from '../formats/tensor-bundle';
import { initBackend } from './backend';
import { DEFAULT_TAGS, type Engine, type LoadOptions, type LoadedModel, type RunOptions, type SignatureInfo } from './engine';
import { inlineFunctionCalls } from './graph/inline-functions';
import { OpRegistry } from './graph/op-defs';
import { optimizeForTfjs } from './graph/optimize';
import { type Feed, type Fetch, type StatefulSignature, buildSignatureGraph } from './graph/signature-graph';
import type { FunctionDef, NodeDef } from './graph/types';
import { variableCheckpointKeys } from './graph/variables';
import { registerParseExampleOps } from './ops/parse-example';
import { readSavedModel, selectMetaGraph, signaturesOf } from './saved-model';
import { buildGraphModel } from './tfjs-graph';
import { fromTfjs, tfjsDtypeOf, toTfjs } from './tfjs-tensors';

interface RunnableSignature {
  info: SignatureInfo;
  model: GraphModel;
  feeds: Feed[];
  fetches: Fetch[];
  /** tfjs refuses synchronous `execute` on graphs with dynamic ops; learnt on first run. */
  async: boolean;
}

type PreparedSignature = RunnableSignature | ({ info: SignatureInfo } & StatefulSignature);

/**
 * Runs SavedModels with no TensorFlow runtime: reads saved_model.pb and the variables' TensorBundle, inlines TF2
 * functions, freezes variables into constants, and executes each signature's subgraph on tfjs-converter
 * (wasm backend, cpu fallback). ParseExample(V2) is provided as custom ops.
 */
export class PureEngine implements Engine {
  readonly name = 'pure' as const;

  async load(modelDir: string, options: LoadOptions = {}): Promise<LoadedModel> {
    await initBackend();
    registerParseExampleOps();
    const file = path.join(modelDir, 'saved_model.pb');
    const tags = options.tags ?? DEFAULT_TAGS;
    const metaGraph = selectMetaGraph(readSavedModel(modelDir), tags);
    const signatures = signaturesOf(metaGraph, file);

    const functions: FunctionDef[] = metaGraph.graphDef?.library?.function ?? [];
    const library = new Map(functions.map((fn) => [fn.signature.name, fn]));
    const registry = new OpRegistry(metaGraph.metaInfoDef?.strippedOpList?.op);
    for (const fn of functions) registry.addFunction(fn.signature);

    const restoreOp = metaGraph.saverDef?.restoreOpName;
    const roots = [
      ...Object.values(signatures).flatMap((s) => [...Object.values(s.inputs), ...Object.values(s.outputs)].map((t) => t.name)),
      ...(restoreOp ? [restoreOp] : []),
    ];
    const graph = inlineFunctionCalls(metaGraph.graphDef?.node ?? [], library, registry, roots);
    const keys = variableCheckpointKeys(graph, file);
    let bundle: TensorBundle | undefined;
    const readVariable = (node: NodeDef) => {
      const key = keys.get(node.name);
      if (key === undefined) throw new FormatError(`${file}: variable '${node.name}' is not restored by the model's saver`);
      bundle ??= TensorBundle.open(path.join(modelDir, 'variables', 'variables'));
      return bundle.read(key);
    };

    const prepared: Record<string, PreparedSignature> = {};
    try {
      for (const info of Object.values(signatures)) {
        const signature = metaGraph.signatureDef![info.key];
        const built = buildSignatureGraph({ graph, signature, info, registry, readVariable, file });
        prepared[info.key] =
          'statefulNode' in built
            ? { info, statefulNode: built.statefulNode }
            : { info, model: buildGraphModel(optimizeForTfjs(built), `${file}: signature '${info.key}'`), feeds: built.feeds, fetches: built.fetches, async: false };
      }
    } catch (err) {
      disposeAll(prepared);
      throw err;
    }
    return new PureModel(tags, signatures, prepared);
  }
}

function disposeAll(prepared: Record<string, PreparedSignature>): void {
  for (const p of Object.values(prepared)) if ('model' in p) p.model.dispose();
}

class PureModel implements LoadedModel {
  readonly engine = 'pure' as const;

  constructor(
    readonly tags: string[],
    readonly signatures: Record<string, SignatureInfo>,
    private readonly prepared: Record<string, PreparedSignature>,
  ) {}

  async run(signatureKey: string, inputs: NamedTensors, options: RunOptions = {}): Promise<NamedTensors> {
    options.signal?.throwIfAborted();
    const signature = this.prepared[signatureKey];
    if (!signature) throw new NotFoundError(`Serving signature name: "${signatureKey}" not found in signature def`);
    if ('statefulNode' in signature) {
      const { op, name } = signature.statefulNode;
      throw new FailedPreconditionError(
        `signature '${signatureKey}' writes variable state (op ${op}, node '${name}'); the pure engine runs on frozen variables and cannot run it`,
      );
    }
    const feedMap = feedTensors(signature, inputs);
    const owned = new Set<tf.Tensor>(Object.values(feedMap));
    try {
      const names = signature.fetches.map((f) => f.tensor);
      const produced = await execute(signature, feedMap, names);
      produced.forEach((t) => owned.add(t));
      return Object.fromEntries(
        signature.fetches.map((fetch, k) => [fetch.key, fromTfjs(tf, produced[k], signature.info.outputs[fetch.key].dtype, fetch.key)]),
      );
    } finally {
      tf.dispose([...owned]);
    }
  }

  dispose(): void {
    disposeAll(this.prepared);
  }
}

function feedTensors(signature: RunnableSignature, inputs: NamedTensors): tf.NamedTensorMap {
  const known = new Set(signature.feeds.map((f) => f.key));
  const unknown = Object.keys(inputs).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `input tensor alias not found in signature: ${unknown.join(', ')}. Inputs expected to be in the set {${[...known].join(',')}}.`,
    );
  }
  const feedMap: tf.NamedTensorMap = {};
  try {
    for (const feed of signature.feeds) {
      const value = inputs[feed.key] ?? feed.defaultValue;
      if (!value) throw new InvalidArgumentError(`input '${feed.key}' of signature '${signature.info.key}' is missing and has no default`);
      feedMap[feed.node] = toTfjs(tf, value, tfjsDtypeOf(feed.dtype), feed.key);
    }
  } catch (err) {
    tf.dispose(Object.values(feedMap));
    throw err;
  }
  return feedMap;
}

async function execute(signature: RunnableSignature, feeds: tf.NamedTensorMap, names: string[]): Promise<tf.Tensor[]> {
  if (!signature.async) {
    try {
      return asList(signature.model.execute(feeds, names));
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('executeAsync'))) throw err;
      signature.async = true;
    }
  }
  return asList(await signature.model.executeAsync(feeds, names));
}

const asList = (t: tf.Tensor | tf.Tensor[]) => (Array.isArray(t) ? t : [t]);
