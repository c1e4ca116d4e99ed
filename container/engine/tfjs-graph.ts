import * as tf from '@tensorflow/tfjs-core';
import { GraphModel } from '@tensorflow/tfjs-converter';
import { UnsupportedModelError } from '../errors';
import type { ShapeProto } from '../formats/tensor-proto';
import type { AttrValue, NodeDef } from './graph/types';
import type { SignatureGraph } from './graph/signature-graph';
import { toTfjs } from './tfjs-tensors';

/** The parts of tfjs-converter's GraphModel that its typings keep private but that loading from memory needs. */
interface GraphModelInternals {
  loadWithWeightMap(artifacts: tf.io.ModelArtifacts, weights: tf.NamedTensorMap): boolean;
  executor: { graph: { nodes: Record<string, { op: string; category?: string }> } };
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** proto3 drops `size: 0`, which tfjs would parse as NaN. */
const tfjsShape = (shape: ShapeProto) =>
  shape.unknownRank ? { unknownRank: true } : { dim: (shape.dim ?? []).map((d) => ({ size: d.size ?? '0' })) };

/**
 * AttrValue in the JSON form tfjs-converter reads (what TensorFlow's Python converter writes): `s` as base64,
 * and list fields present only when non-empty, since tfjs checks `list.i != null` before `list.type`.
 */
function tfjsAttr(value: AttrValue): object {
  if (value.s !== undefined) return { s: base64(value.s) };
  if (value.shape !== undefined) return { shape: tfjsShape(value.shape) };
  if (value.list !== undefined) {
    const list: Record<string, unknown> = {};
    const { s, shape, tensor: _tensors, ...plain } = value.list;
    for (const [field, items] of Object.entries(plain)) if (items && items.length > 0) list[field] = items;
    if (s && s.length > 0) list.s = s.map(base64);
    if (shape && shape.length > 0) list.shape = shape.map(tfjsShape);
    return { list };
  }
  const { tensor: _tensor, ...rest } = value;
  return rest;
}

function tfjsNode(node: NodeDef): object {
  const attr = Object.fromEntries(Object.entries(node.attr ?? {}).map(([k, v]) => [k, tfjsAttr(v)]));
  return { name: node.name, op: node.op, input: node.input ?? [], attr };
}

/**
 * Builds a tfjs GraphModel from a signature graph. Weights become tfjs tensors directly (no byte round trip).
 * tfjs only reports an unknown op when it reaches it at run time, so the mapped graph is checked here and a
 * model with an op tfjs cannot run fails at load, naming the op and the node.
 */
export function buildGraphModel(graph: SignatureGraph, where: string): GraphModel {
  const topology = { node: graph.nodes.map(tfjsNode), versions: { producer: 1, minConsumer: 0 }, library: {} };
  const weights: tf.NamedTensorMap = {};
  for (const [name, value] of graph.weights) weights[name] = toTfjs(tf, value, undefined, `Const '${name}'`);
  const model = new GraphModel({ load: async () => ({}) });
  const internals = model as unknown as GraphModelInternals;
  try {
    internals.loadWithWeightMap({ modelTopology: topology, weightSpecs: [] }, weights);
  } catch (err) {
    tf.dispose(Object.values(weights));
    throw err;
  }
  const unsupported = Object.entries(internals.executor.graph.nodes).find(([, n]) => n.category === undefined);
  if (unsupported) {
    model.dispose();
    const [name, node] = unsupported;
    throw new UnsupportedModelError(`${where}: op '${node.op}' (node '${name}') is not supported by the pure engine`);
  }
  return model;
}
