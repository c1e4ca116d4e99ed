import { UnsupportedModelError } from '../../errors';
import { dtypeFromTf, stripRef, tfFromDtype } from '../../formats/dtypes';
import type { DType, Tensor } from '../../formats/tensor';
import { tensorFromProto } from '../../formats/tensor-proto';
import type { SignatureInfo } from '../engine';
import type { OpRegistry } from './op-defs';
import { type AttrValue, type NodeDef, type SignatureDefObject, dataInputs, formatTensorRef, parseTensorRef } from './types';
import { VARIABLE_OPS } from './variables';

/** An input of the signature: the graph node it feeds (made a Placeholder) and the dtype tfjs must be fed. */
export interface Feed {
  key: string;
  node: string;
  dtype: DType;
  /** Used when the request leaves the input out: PlaceholderWithDefault's value or the SignatureDef's `defaults`. */
  defaultValue?: Tensor;
}

export interface Fetch {
  key: string;
  tensor: string;
}

/** The frozen, self-contained graph of one signature, ready for tfjs-converter. */
export interface SignatureGraph {
  nodes: NodeDef[];
  /** Values of every Const node (frozen variables included), by node name. */
  weights: Map<string, Tensor>;
  feeds: Feed[];
  fetches: Fetch[];
}

/** A signature that writes variables; it cannot run on frozen state. */
export interface StatefulSignature {
  statefulNode: NodeDef;
}

/**
 * Ops the pure engine refuses at load although tfjs maps them: control flow whose branches are library functions
 * (the bodies are not carried into the tfjs graph) and lookup tables (their initialisers are not run).
 */
function unsupportedReason(node: NodeDef): string | undefined {
  if (Object.values(node.attr ?? {}).some((v) => v.func?.name || v.list?.func?.length)) {
    return 'calls library functions (TF2 control flow); the pure engine cannot run those yet';
  }
  if (/Table|^LookupTable/.test(node.op)) return 'is a lookup table; the pure engine does not initialise tables yet';
  return undefined;
}

/** Ops that write state. Reading a variable works on the frozen value; writing one cannot. */
const MUTATING_OP = /^(Resource)?(Assign|Scatter|Apply)/;

export interface SignatureGraphInput {
  graph: Map<string, NodeDef>;
  signature: SignatureDefObject;
  info: SignatureInfo;
  registry: OpRegistry;
  readVariable: (node: NodeDef) => Tensor;
  file: string;
}

/**
 * Cuts the signature's subgraph out of the (inlined) graph: walks back from its outputs over data edges only
 * (control edges would make tfjs run NoOps, savers and assignments), stops at fed nodes and turns them into
 * Placeholders without a `shape` attr (TensorFlow does not check fed shapes against it; tfjs would), replaces
 * variables by Consts holding their checkpoint values, ReadVariableOp by Identity, and restores stripped attrs.
 */
export function buildSignatureGraph(input: SignatureGraphInput): SignatureGraph | StatefulSignature {
  const { graph, signature, info, registry, file } = input;
  const where = `${file}: signature '${info.key}'`;
  const feeds = Object.entries(info.inputs).map(([key, spec]) => feedFor(input, key, spec.name, where));
  const fetches = Object.entries(info.outputs).map(([key, spec]) => ({ key, tensor: formatTensorRef(parseTensorRef(spec.name)) }));
  const fed = new Map(feeds.map((f) => [f.node, f]));

  const nodes: NodeDef[] = [];
  const weights = new Map<string, Tensor>();
  const seen = new Set<string>();
  const stack = fetches.map((f) => parseTensorRef(f.tensor).node);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const feed = fed.get(name);
    if (feed) {
      nodes.push({ name, op: 'Placeholder', attr: { dtype: { type: tfFromDtype(feed.dtype) } } });
      continue;
    }
    const node = graph.get(name);
    if (!node) throw new UnsupportedModelError(`${where}: the graph has no node '${name}'`);
    if (MUTATING_OP.test(node.op)) return { statefulNode: node };
    const unsupported = unsupportedReason(node);
    if (unsupported) throw new UnsupportedModelError(`${where}: op '${node.op}' (node '${name}') ${unsupported}`);
    if (node.op === 'Const' || VARIABLE_OPS.has(node.op)) {
      const value = node.op === 'Const' ? tensorFromProto(node.attr?.value?.tensor ?? {}, `${where}: Const '${name}'`) : input.readVariable(node);
      weights.set(name, value);
      nodes.push({ name, op: 'Const', attr: { dtype: { type: tfFromDtype(value.dtype) } } });
      continue;
    }
    const inputs = dataInputs(node);
    stack.push(...inputs.map((i) => parseTensorRef(i).node));
    if (node.op === 'ReadVariableOp') {
      nodes.push({ name, op: 'Identity', input: inputs, attr: { T: node.attr?.dtype ?? {} } });
      continue;
    }
    nodes.push(registry.restoreDefaults({ name, op: node.op, input: inputs, attr: publicAttrs(node.attr) }));
  }
  return { nodes: nodes.reverse(), weights, feeds, fetches };
}

/** Attrs starting with `_` are TensorFlow-internal (`_output_shapes`, `_class`, …) and confuse tfjs. */
function publicAttrs(attr: Record<string, AttrValue> | undefined): Record<string, AttrValue> {
  return Object.fromEntries(Object.entries(attr ?? {}).filter(([name]) => !name.startsWith('_')));
}

function feedFor(input: SignatureGraphInput, key: string, tensorName: string, where: string): Feed {
  const ref = parseTensorRef(tensorName);
  if (ref.index !== 0) {
    throw new UnsupportedModelError(`${where}: input '${key}' feeds output ${ref.index} of node '${ref.node}'; only output 0 can be fed`);
  }
  const node = input.graph.get(ref.node);
  if (!node) throw new UnsupportedModelError(`${where}: input '${key}' names node '${ref.node}', which is not in the graph`);
  // The node's own dtype wins over the SignatureDef's: old exports declare DT_FLOAT for a string tf_example placeholder.
  const tfName = stripRef(node.attr?.dtype?.type ?? node.attr?.T?.type ?? input.info.inputs[key].tfDtype);
  const dtype = dtypeFromTf(tfName);
  if (!dtype) throw new UnsupportedModelError(`${where}: input '${key}' has dtype ${tfName}, which cannot be fed`);
  return { key, node: ref.node, dtype, defaultValue: defaultFor(input, key, node, where) };
}

function defaultFor(input: SignatureGraphInput, key: string, node: NodeDef, where: string): Tensor | undefined {
  const declared = input.signature.defaults?.[key];
  if (declared) return tensorFromProto(declared, `${where}: default of input '${key}'`);
  if (node.op !== 'PlaceholderWithDefault') return undefined;
  const source = input.graph.get(parseTensorRef(dataInputs(node)[0] ?? '').node);
  return source?.op === 'Const' ? tensorFromProto(source.attr?.value?.tensor ?? {}, `${where}: default of input '${key}'`) : undefined;
}
