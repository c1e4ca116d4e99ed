import { tfFromDtype } from '../../formats/dtypes';
import { type ShapeProto, shapeFromDims, tensorToProto } from '../../formats/tensor-proto';
import type { DType, Tensor } from '../../formats/tensor';
import { parseTensorRef, type AttrValue, type NodeDef } from '../graph/types';
import { type OpDef, writerOpDef } from './op-defs';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * A TensorShapeProto as TensorFlow serializes it: proto3 leaves out a zero `size`, so a 0 dimension is an empty
 * Dim (protobufjs would write the explicit 0). `undefined` is an unknown rank.
 */
export function shapeProto(dims?: number[]): ShapeProto {
  const shape = shapeFromDims(dims);
  return shape.dim ? { dim: shape.dim.map((d) => (d.size === '0' ? {} : d)) } : shape;
}

/** AttrValues in the plain-object view of proto.ts (int64 as decimal strings, bytes as Uint8Array). */
export const attr = {
  type: (dtype: DType): AttrValue => ({ type: tfFromDtype(dtype) }),
  types: (dtypes: DType[]): AttrValue => ({ list: { type: dtypes.map(tfFromDtype) } }),
  /** `undefined` is an unknown rank. */
  shape: (dims?: number[]): AttrValue => ({ shape: shapeProto(dims) }),
  shapes: (shapes: number[][]): AttrValue => ({ list: { shape: shapes.map((dims) => shapeProto(dims)) } }),
  int: (value: number): AttrValue => ({ i: String(value) }),
  ints: (values: number[]): AttrValue => ({ list: { i: values.map(String) } }),
  float: (value: number): AttrValue => ({ f: value }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  string: (value: string): AttrValue => ({ s: utf8(value) }),
  strings: (values: string[]): AttrValue => ({ list: { s: values.map(utf8) } }),
  tensor: (value: Tensor): AttrValue => ({ tensor: { ...tensorToProto(value), tensorShape: shapeProto(value.shape) } }),
};

/** The `_class` attr TensorFlow puts on ops that must live on the same device as `node` (a variable's users). */
const colocatedWith = (node: string): AttrValue => attr.strings([`loc:@${node}`]);

export interface GraphVariable {
  /** Node name of the `VariableV2`, which is also its checkpoint key. */
  name: string;
  value: Tensor;
}

/** TensorFlow's rule for node names (graph/graph_constructor.cc `IsValidNodeName`). */
const VALID_NODE_NAME = /^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$/;

/**
 * Builds a TF1-style GraphDef node by node, the way TensorFlow's graph mode does: every node carries all attrs of
 * its OpDef (defaults added), inputs must name nodes already in the graph, names are unique. Variables are TF1
 * `VariableV2`s with an initial-value Const, their `Assign` initializer and a `<name>/read` Identity, as
 * `tf.compat.v1.Variable(value)` creates them.
 */
export class GraphBuilder {
  private readonly nodeList: NodeDef[] = [];
  private readonly names = new Set<string>();
  private readonly variableList: GraphVariable[] = [];

  /** Adds a node and returns its name (its output 0). Attrs not given take the OpDef's defaults. */
  add(name: string, op: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    if (!VALID_NODE_NAME.test(name)) throw new Error(`graph node name '${name}' is not a valid TensorFlow node name`);
    if (this.names.has(name)) throw new Error(`graph already has a node named '${name}'`);
    const def = writerOpDef(op);
    if (!def) throw new Error(`node '${name}': the writer has no OpDef for op ${op}`);
    for (const input of inputs) {
      const source = parseTensorRef(input).node;
      if (!this.names.has(source)) throw new Error(`node '${name}' (${op}): input '${input}' names no node added before it`);
    }
    const node: NodeDef = { name, op, input: [...inputs], attr: completeAttrs(name, def, attrs) };
    this.nodeList.push(node);
    this.names.add(name);
    return name;
  }

  constant(name: string, value: Tensor): string {
    return this.add(name, 'Const', [], { dtype: attr.type(value.dtype), value: attr.tensor(value) });
  }

  /** `shape` undefined is an unknown rank; -1 marks an unknown dimension. */
  placeholder(name: string, dtype: DType, shape?: number[]): string {
    return this.add(name, 'Placeholder', [], { dtype: attr.type(dtype), shape: attr.shape(shape) });
  }

  identity(name: string, input: string, dtype: DType): string {
    return this.add(name, 'Identity', [input], { T: attr.type(dtype) });
  }

  noOp(name: string, controlInputs: string[]): string {
    return this.add(name, 'NoOp', controlInputs.map((input) => `^${input}`));
  }

  /** Adds a variable holding `value` (saved to the checkpoint under `name`); returns its `<name>/read` tensor. */
  variable(name: string, value: Tensor): string {
    const T = attr.type(value.dtype);
    const initialValue = this.constant(`${name}/initial_value`, value);
    this.add(name, 'VariableV2', [], { dtype: T, shape: attr.shape(value.shape) });
    this.variableList.push({ name, value });
    this.assign(`${name}/Assign`, name, initialValue);
    return this.add(`${name}/read`, 'Identity', [name], { T, _class: colocatedWith(name) });
  }

  /** `Assign(variable, value)` with TensorFlow's default locking and shape validation. */
  assign(name: string, variable: string, value: string): string {
    const dtype = this.variableDtype(variable);
    return this.add(name, 'Assign', [variable, value], { T: attr.type(dtype), _class: colocatedWith(variable) });
  }

  get nodes(): readonly NodeDef[] {
    return this.nodeList;
  }

  get variables(): readonly GraphVariable[] {
    return this.variableList;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The OpDefs of the graph's distinct ops, sorted by name as in a stripped op list. */
  opDefs(): OpDef[] {
    const ops = [...new Set(this.nodeList.map((node) => node.op))].sort();
    return ops.map((op) => writerOpDef(op) as OpDef); // add() accepted only ops with an OpDef
  }

  /** An independent builder with the same nodes, to extend without touching this one. */
  copy(): GraphBuilder {
    const copy = new GraphBuilder();
    copy.nodeList.push(...this.nodeList);
    for (const name of this.names) copy.names.add(name);
    copy.variableList.push(...this.variableList);
    return copy;
  }

  private variableDtype(variable: string): DType {
    const found = this.variableList.find((v) => v.name === variable);
    if (!found) throw new Error(`'${variable}' is not a variable of this graph`);
    return found.value.dtype;
  }
}

/**
 * The node's attrs with every OpDef default added, in sorted order (TensorFlow's deterministic serialization
 * sorts map keys). Attrs starting with `_` are TensorFlow's internal annotations and are not in OpDefs.
 */
function completeAttrs(node: string, def: OpDef, given: Record<string, AttrValue>): Record<string, AttrValue> {
  const declared = new Map((def.attr ?? []).map((a) => [a.name, a]));
  for (const name of Object.keys(given)) {
    if (!name.startsWith('_') && !declared.has(name)) throw new Error(`node '${node}': op ${def.name} has no attr '${name}'`);
  }
  const all: Record<string, AttrValue> = { ...given };
  for (const [name, a] of declared) {
    if (name in all) continue;
    if (!a.defaultValue) throw new Error(`node '${node}': op ${def.name} needs attr '${name}' (no default)`);
    all[name] = a.defaultValue;
  }
  return Object.fromEntries(Object.keys(all).sort().map((name) => [name, all[name]]));
}
