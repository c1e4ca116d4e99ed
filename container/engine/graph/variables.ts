import { FormatError } from '../../errors';
import { type NodeDef, parseTensorRef } from './types';

export const VARIABLE_OPS = new Set(['VariableV2', 'Variable', 'VarHandleOp']);
const ASSIGN_OPS = new Set(['Assign', 'AssignVariableOp']);
const RESTORE_OPS = new Set(['RestoreV2', 'Restore', 'RestoreSlice']);

/**
 * Follows a tensor through the pass-through ops that sit between a variable (or a restored value) and its use:
 * Identity, and IdentityN (which the function inliner leaves in place of each call).
 */
export function traceThroughIdentities(graph: Map<string, NodeDef>, ref: string): { node: NodeDef; index: number } | undefined {
  let { node: name, index } = parseTensorRef(ref);
  for (let hops = 0; hops < graph.size + 1; hops++) {
    const node = graph.get(name);
    if (!node) return undefined;
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    if (node.op === 'Identity') ({ node: name, index } = parseTensorRef(inputs[0]));
    else if (node.op === 'IdentityN') ({ node: name, index } = parseTensorRef(inputs[index]));
    else return { node, index };
  }
  return undefined;
}

/**
 * Maps each variable node to its checkpoint key by reading the saver's restore graph, which works alike for TF1
 * (`save/restore_all`: Assign(var, RestoreV2:i)) and TF2 (the inlined `__inference__traced_restore_*`:
 * AssignVariableOp(handle, Identity(RestoreV2:i))): the key is element i of RestoreV2's `tensor_names` Const.
 */
export function variableCheckpointKeys(graph: Map<string, NodeDef>, file: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const assign of graph.values()) {
    if (!ASSIGN_OPS.has(assign.op)) continue;
    const [target, value] = (assign.input ?? []).filter((i) => !i.startsWith('^'));
    const variable = target && traceThroughIdentities(graph, target);
    const restored = value && traceThroughIdentities(graph, value);
    if (!variable || !VARIABLE_OPS.has(variable.node.op) || !restored || !RESTORE_OPS.has(restored.node.op)) continue;
    if (restored.node.op !== 'RestoreV2') {
      throw new FormatError(`${file}: variable '${variable.node.name}' is restored by ${restored.node.op}; only RestoreV2 (checkpoint V2) is supported`);
    }
    const constStrings = (input: number) => {
      const ref = (restored.node.input ?? [])[input];
      const node = ref === undefined ? undefined : graph.get(parseTensorRef(ref).node);
      return node?.op === 'Const' ? node.attr?.value?.tensor?.stringVal : undefined;
    };
    const key = constStrings(1)?.[restored.index];
    if (!key) throw new FormatError(`${file}: cannot read the checkpoint key of variable '${variable.node.name}' from '${restored.node.name}'`);
    const slice = constStrings(2)?.[restored.index];
    if (slice && slice.length > 0) {
      throw new FormatError(`${file}: variable '${variable.node.name}' is partitioned (slice '${new TextDecoder().decode(slice)}'); partitioned variables are not supported`);
    }
    keys.set(variable.node.name, new TextDecoder().decode(key));
  }
  return keys;
}
