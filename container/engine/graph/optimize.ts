import type { SignatureGraph } from './signature-graph';
import { type NodeDef, parseTensorRef } from './types';

/** Ops that tfjs can run with a bias and an activation in one kernel, and the fused op tfjs-converter maps. */
const FUSED_FORM: Record<string, string> = {
  Conv2D: '_FusedConv2D',
  DepthwiseConv2dNative: 'FusedDepthwiseConv2dNative',
  MatMul: '_FusedMatMul',
};
const ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'Sigmoid', 'LeakyRelu']);

const encode = (text: string) => new TextEncoder().encode(text);
const dataFormat = (node: NodeDef) => new TextDecoder().decode(node.attr?.data_format?.s ?? encode('NHWC'));

/**
 * Rewrites `Conv2D|DepthwiseConv2dNative|MatMul → BiasAdd [→ activation]` into the single fused op, as
 * TensorFlow's grappler remapper and tfjs's own converter do: one kernel instead of three, which is what keeps a
 * small CNN's per-call time close to the same network built with tfjs-layers. A chain is fused only when each
 * intermediate tensor feeds nothing but the next op and is not a signature output; the fused node takes the
 * name of the chain's last node, so references downstream are unchanged.
 */
function fuseBiasAndActivation(graph: SignatureGraph): SignatureGraph {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, NodeDef[]>();
  for (const node of graph.nodes) {
    for (const input of node.input ?? []) {
      const source = parseTensorRef(input).node;
      consumers.set(source, [...(consumers.get(source) ?? []), node]);
    }
  }
  const fetched = new Set(graph.fetches.map((f) => parseTensorRef(f.tensor).node));
  const soleConsumer = (node: NodeDef): NodeDef | undefined => {
    const users = consumers.get(node.name) ?? [];
    return users.length === 1 && !fetched.has(node.name) && users[0].input?.[0] === node.name ? users[0] : undefined;
  };

  for (const node of graph.nodes) {
    const fusedOp = FUSED_FORM[node.op];
    if (!fusedOp || node.attr?.T?.type !== 'DT_FLOAT') continue;
    const biasAdd = soleConsumer(node);
    if (biasAdd?.op !== 'BiasAdd' || dataFormat(biasAdd) !== (node.op === 'MatMul' ? 'NHWC' : dataFormat(node))) continue;
    const next = soleConsumer(biasAdd);
    const activation = next && ACTIVATIONS.has(next.op) ? next : undefined;
    const last = activation ?? biasAdd;
    const fusedOps = activation ? ['BiasAdd', activation.op] : ['BiasAdd'];
    byName.delete(node.name);
    byName.delete(biasAdd.name);
    byName.set(last.name, {
      name: last.name,
      op: fusedOp,
      input: [...(node.input ?? []).slice(0, 2), biasAdd.input![1]],
      attr: {
        ...node.attr,
        fused_ops: { list: { s: fusedOps.map(encode) } },
        num_args: { i: '1' },
        ...(activation?.op === 'LeakyRelu' ? { leakyrelu_alpha: activation.attr?.alpha ?? { f: 0.2 } } : {}),
      },
    });
  }
  return { ...graph, nodes: [...byName.values()] };
}

/**
 * Drops Identity nodes that only forward a constant (a frozen variable's `<v>/read`), pointing their users at the
 * constant itself: tfjs pays a fixed cost per executed node, which matters for small models at batch 1.
 */
function bypassConstantIdentities(graph: SignatureGraph): SignatureGraph {
  const fetched = new Set(graph.fetches.map((f) => parseTensorRef(f.tensor).node));
  const forward = new Map<string, string>();
  for (const node of graph.nodes) {
    const source = node.input?.[0];
    if (node.op === 'Identity' && source !== undefined && graph.weights.has(parseTensorRef(source).node) && !fetched.has(node.name)) {
      forward.set(node.name, source);
    }
  }
  const nodes = graph.nodes
    .filter((n) => !forward.has(n.name))
    .map((n) => ({ ...n, input: (n.input ?? []).map((i) => forward.get(parseTensorRef(i).node) ?? i) }));
  return { ...graph, nodes };
}

/** Rewrites that make a frozen TensorFlow graph cheaper to execute on tfjs without changing its results. */
export function optimizeForTfjs(graph: SignatureGraph): SignatureGraph {
  return fuseBiasAndActivation(bypassConstantIdentities(graph));
}
