import * as fs from 'node:fs';
import * as path from 'node:path';
import { tfFromDtype } from '../../formats/dtypes';
import { encodeMessage, protos } from '../../formats/proto';
import { type DType, type Tensor, makeTensor } from '../../formats/tensor';
import { writeTensorBundle } from '../../formats/tensor-bundle';
import { DEFAULT_TAGS } from '../engine';
import { parseTensorRef } from '../graph/types';
import { attr, type GraphBuilder, shapeProto } from './graph-builder';

/**
 * The TensorFlow release whose OpDefs and graph conventions the written files follow (TF1-style graph, as
 * `tf.compat.v1.saved_model.Builder` writes it under TF 2.14). `tensorflow_git_version` names the real producer.
 */
export const WRITER_TENSORFLOW_VERSION = '2.14.0';
export const WRITER_GIT_VERSION = 'tfserve-savedmodel-writer';
/** GraphDef VersionDef of TensorFlow 2.14.0 (producer 1569, min_consumer 12), as in its own SavedModels. */
const GRAPH_VERSIONS = { producer: 1569, minConsumer: 12 };
const SAVER_FILENAME = 'model';
/** TF1 `Saver` defaults (`sharded: false` is proto3's default, which TensorFlow leaves out). */
const SAVER_DEFAULTS = { maxToKeep: 5, keepCheckpointEveryNHours: 10000, version: 2 /* V2 */ };

/** One input or output of a signature; `shape` undefined is an unknown rank. */
export interface TensorInfoSpec {
  /** Graph tensor, e.g. `x:0`. */
  name: string;
  dtype: DType;
  shape?: number[];
}

export interface SignatureSpec {
  methodName: string;
  inputs: Record<string, TensorInfoSpec>;
  outputs: Record<string, TensorInfoSpec>;
}

export interface SavedModelSpec {
  graph: GraphBuilder;
  signatures: Record<string, SignatureSpec>;
  /** MetaGraph tags; default ['serve']. */
  tags?: string[];
}

export interface EncodedSavedModel {
  /** The bytes of `saved_model.pb`. */
  savedModel: Uint8Array;
  /** Checkpoint contents for `variables/variables`, keyed by variable (node) name. */
  variables: Record<string, Tensor>;
}

/** SaverDef in the plain-object view of proto.ts. */
export interface SaverDefObject {
  filenameTensorName: string;
  saveTensorName: string;
  restoreOpName: string;
  maxToKeep: number;
  keepCheckpointEveryNHours: number;
  version: number;
}

export const PREDICT_METHOD = 'tensorflow/serving/predict';
export const CLASSIFY_METHOD = 'tensorflow/serving/classify';
export const REGRESS_METHOD = 'tensorflow/serving/regress';

/**
 * Adds a non-sharded TF1 `Saver` (V2 checkpoints) for every variable, as `tf.compat.v1.train.Saver()` builds it:
 * `save/SaveV2` for saving, one `save/RestoreV2` over all variables in name order with `save/Assign_i` per
 * variable, grouped under `save/restore_all`. Returns the SaverDef.
 */
export function addSaver(graph: GraphBuilder): SaverDefObject {
  const variables = [...graph.variables].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const names = variables.map((v) => v.name);
  const dtypes = variables.map((v) => v.value.dtype);
  const encode = (text: string) => new TextEncoder().encode(text);
  const strings = (values: string[]) => makeTensor('string', [values.length], values.map(encode));
  const filename = graph.constant('save/Const', makeTensor('string', [], [encode(SAVER_FILENAME)]));

  const saveNames = graph.constant('save/SaveV2/tensor_names', strings(names));
  const saveSlices = graph.constant('save/SaveV2/shape_and_slices', strings(names.map(() => '')));
  const save = graph.add('save/SaveV2', 'SaveV2', [filename, saveNames, saveSlices, ...names], { dtypes: attr.types(dtypes) });
  const saveTensor = graph.add('save/control_dependency', 'Identity', [filename, `^${save}`], {
    T: attr.type('string'),
    _class: attr.strings([`loc:@${filename}`]),
  });

  const restoreNames = graph.constant('save/RestoreV2/tensor_names', strings(names));
  const restoreSlices = graph.constant('save/RestoreV2/shape_and_slices', strings(names.map(() => '')));
  const restore = graph.add('save/RestoreV2', 'RestoreV2', [filename, restoreNames, restoreSlices], { dtypes: attr.types(dtypes) });
  const assigns = names.map((name, i) =>
    graph.assign(i === 0 ? 'save/Assign' : `save/Assign_${i}`, name, i === 0 ? restore : `${restore}:${i}`),
  );
  const restoreAll = graph.noOp('save/restore_all', assigns);

  return {
    filenameTensorName: `${filename}:0`,
    saveTensorName: `${saveTensor}:0`,
    restoreOpName: restoreAll,
    ...SAVER_DEFAULTS,
  };
}

function tensorInfo(signature: string, key: string, spec: TensorInfoSpec, graph: GraphBuilder): object {
  const node = parseTensorRef(spec.name).node;
  if (!graph.has(node)) throw new Error(`signature '${signature}': '${key}' refers to '${spec.name}', but the graph has no node '${node}'`);
  return { name: spec.name, dtype: tfFromDtype(spec.dtype), tensorShape: shapeProto(spec.shape) };
}

/** A copy of `record` with keys in sorted order: protobufjs writes map entries in key order, TensorFlow sorts them. */
function sortedRecord<T, U>(record: Record<string, T>, map: (key: string, value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, map(key, record[key])]));
}

/** The `saved_model.pb` bytes and checkpoint tensors of `spec`; the same spec gives the same bytes. */
export function encodeSavedModel(spec: SavedModelSpec): EncodedSavedModel {
  const graph = spec.graph.copy();
  const saverDef = graph.variables.length > 0 ? addSaver(graph) : undefined;
  const signatureDef = sortedRecord(spec.signatures, (key, signature) => ({
    inputs: sortedRecord(signature.inputs, (k, info) => tensorInfo(key, k, info, graph)),
    outputs: sortedRecord(signature.outputs, (k, info) => tensorInfo(key, k, info, graph)),
    methodName: signature.methodName,
  }));
  const metaGraph = {
    metaInfoDef: {
      strippedOpList: { op: graph.opDefs() },
      tags: spec.tags ?? DEFAULT_TAGS,
      tensorflowVersion: WRITER_TENSORFLOW_VERSION,
      tensorflowGitVersion: WRITER_GIT_VERSION,
      // stripped_default_attrs is false: every node keeps its default attrs (proto3 leaves the false out).
    },
    graphDef: { node: graph.nodes, versions: GRAPH_VERSIONS },
    ...(saverDef ? { saverDef } : {}),
    signatureDef,
  };
  const savedModel = encodeMessage(protos.SavedModel, { savedModelSchemaVersion: 1, metaGraphs: [metaGraph] });
  const variables = Object.fromEntries(graph.variables.map((v) => [v.name, v.value]));
  return { savedModel, variables };
}

/** Writes `dir/saved_model.pb` and `dir/variables/variables.{index,data-00000-of-00001}` (creating `dir`). */
export function writeSavedModel(dir: string, spec: SavedModelSpec): void {
  const { savedModel, variables } = encodeSavedModel(spec);
  fs.mkdirSync(path.join(dir, 'variables'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), savedModel);
  if (Object.keys(variables).length > 0) writeTensorBundle(path.join(dir, 'variables', 'variables'), variables);
}
