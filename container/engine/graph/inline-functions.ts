import { UnsupportedModelError } from '../../errors';
import type { OpRegistry } from './op-defs';
import { type FunctionDef, type NodeDef, formatTensorRef, parseTensorRef } from './types';

const CALL_OPS = new Set(['PartitionedCall', 'StatefulPartitionedCall']);

/** The library function a node calls: `(Stateful)PartitionedCall` names it in attr `f`; a node may also use it as its op. */
export function calledFunction(node: NodeDef, library: Map<string, FunctionDef>): FunctionDef | undefined {
  const name = CALL_OPS.has(node.op) ? node.attr?.f?.func?.name : node.op;
  return name === undefined ? undefined : library.get(name);
}

/**
 * Replaces every function call reachable from `roots` by the function's body, until no call is left.
 * tfjs-converter cannot execute `(Stateful)PartitionedCall`, so TF2 graphs must be flattened first.
 * Body nodes are renamed `<call>/<node>`; the call node itself becomes an IdentityN of the function's results,
 * so that outer references such as `StatefulPartitionedCall_5:0` keep working. Control edges are kept (they
 * lead from the saver's restore op to the variables' assignments); the signature graph drops them later.
 */
export function inlineFunctionCalls(
  nodes: NodeDef[],
  library: Map<string, FunctionDef>,
  registry: OpRegistry,
  roots: string[],
): Map<string, NodeDef> {
  const graph = new Map(nodes.map((n) => [n.name, n]));
  for (;;) {
    const calls = [...reachable(graph, roots)].filter((n) => calledFunction(n, library));
    if (calls.length === 0) return graph;
    for (const call of calls) {
      graph.delete(call.name);
      for (const node of expandCall(call, calledFunction(call, library)!, registry)) graph.set(node.name, node);
    }
  }
}

/** Nodes reachable from `roots` over data and control inputs. */
export function reachable(graph: Map<string, NodeDef>, roots: string[]): Set<NodeDef> {
  const seen = new Set<NodeDef>();
  const stack = roots.map((r) => parseTensorRef(r).node);
  while (stack.length > 0) {
    const node = graph.get(stack.pop()!);
    if (!node || seen.has(node)) continue;
    seen.add(node);
    for (const input of node.input ?? []) stack.push(parseTensorRef(input).node);
  }
  return seen;
}

function expandCall(call: NodeDef, fn: FunctionDef, registry: OpRegistry): NodeDef[] {
  const fnName = fn.signature.name;
  const prefix = call.name;
  const args = fn.signature.inputArg ?? [];
  const callerInputs = (call.input ?? []).filter((i) => !i.startsWith('^'));
  if (callerInputs.length !== args.length) {
    throw new UnsupportedModelError(
      `node '${call.name}' calls function '${fnName}' with ${callerInputs.length} inputs; the function takes ${args.length}`,
    );
  }
  const binding = new Map(args.map((arg, k) => [arg.name, callerInputs[k]]));
  const body = new Map((fn.nodeDef ?? []).map((n) => [n.name, n]));

  const resolve = (ref: string): string => {
    if (ref.startsWith('^')) {
      const target = ref.slice(1);
      const bound = binding.get(target);
      return bound === undefined ? `^${prefix}/${target}` : `^${parseTensorRef(bound).node}`;
    }
    const parts = ref.split(':');
    if (parts.length === 1) {
      const bound = binding.get(ref);
      if (bound === undefined) throw new UnsupportedModelError(`function '${fnName}' refers to unknown argument '${ref}'`);
      return bound;
    }
    const [nodeName, argName, index] = parts;
    const target = body.get(nodeName);
    if (!target || parts.length !== 3) {
      throw new UnsupportedModelError(`function '${fnName}' refers to unknown tensor '${ref}'`);
    }
    return formatTensorRef({ node: `${prefix}/${nodeName}`, index: registry.flatOutputIndex(target, argName, Number(index)) });
  };

  const inlined = [...body.values()].map((node) => {
    for (const [attrName, value] of Object.entries(node.attr ?? {})) {
      if (value.placeholder) {
        throw new UnsupportedModelError(
          `node '${node.name}' in function '${fnName}' has attr '${attrName}' bound to function attr '${value.placeholder}' (polymorphic functions are not supported)`,
        );
      }
    }
    return { ...node, name: `${prefix}/${node.name}`, input: (node.input ?? []).map(resolve) };
  });

  const outputArgs = fn.signature.outputArg ?? [];
  const results = outputArgs.map((arg) => {
    const ret = fn.ret?.[arg.name];
    if (ret === undefined) throw new UnsupportedModelError(`function '${fnName}' has no value for its output '${arg.name}'`);
    return resolve(ret);
  });
  const types = call.attr?.Tout?.list?.type ?? outputArgs.map((arg) => arg.type ?? 'DT_INVALID');
  const controls = (call.input ?? []).filter((i) => i.startsWith('^'));
  const identity: NodeDef = { name: call.name, op: 'IdentityN', input: [...results, ...controls], attr: { T: { list: { type: types } } } };
  return [...inlined, identity];
}
