import type { ShapeProto, TensorProtoObject } from '../../formats/tensor-proto';

export type { ShapeProto, TensorProtoObject };

/**
 * TensorFlow graph messages in the plain-object view of container/formats/proto.ts (enums as names, int64 as
 * decimal strings, bytes as Uint8Array). Only the fields the engine reads are typed.
 */
export interface NameAttrList {
  name?: string;
  attr?: Record<string, AttrValue>;
}

export interface AttrValue {
  s?: Uint8Array;
  i?: string;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: ShapeProto;
  tensor?: TensorProtoObject;
  list?: {
    s?: Uint8Array[];
    i?: string[];
    f?: number[];
    b?: boolean[];
    type?: string[];
    shape?: ShapeProto[];
    tensor?: TensorProtoObject[];
    func?: NameAttrList[];
  };
  func?: NameAttrList;
  placeholder?: string;
}

export interface NodeDef {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValue>;
}

export interface ArgDef {
  name: string;
  type?: string;
  typeAttr?: string;
  numberAttr?: string;
  typeListAttr?: string;
  isRef?: boolean;
}

export interface OpDefObject {
  name: string;
  inputArg?: ArgDef[];
  outputArg?: ArgDef[];
  attr?: Array<{ name: string; type?: string; defaultValue?: AttrValue }>;
  isStateful?: boolean;
}

export interface FunctionDef {
  signature: OpDefObject;
  nodeDef?: NodeDef[];
  ret?: Record<string, string>;
  attr?: Record<string, AttrValue>;
}

export interface GraphDef {
  node?: NodeDef[];
  library?: { function?: FunctionDef[] };
  versions?: { producer?: number };
}

export interface TensorInfoObject {
  name?: string;
  cooSparse?: object;
  dtype?: string;
  tensorShape?: ShapeProto;
}

export interface SignatureDefObject {
  inputs?: Record<string, TensorInfoObject>;
  outputs?: Record<string, TensorInfoObject>;
  methodName?: string;
  defaults?: Record<string, TensorProtoObject>;
}

export interface MetaGraphObject {
  metaInfoDef?: {
    tags?: string[];
    strippedOpList?: { op?: OpDefObject[] };
    tensorflowVersion?: string;
    strippedDefaultAttrs?: boolean;
  };
  graphDef?: GraphDef;
  saverDef?: { filenameTensorName?: string; restoreOpName?: string };
  signatureDef?: Record<string, SignatureDefObject>;
}

/** `node:2` → {node, index: 2}; `^node` → {node, index: -1, control: true}. */
export interface TensorRef {
  node: string;
  index: number;
  control: boolean;
}

export function parseTensorRef(input: string): TensorRef {
  if (input.startsWith('^')) return { node: input.slice(1), index: -1, control: true };
  const colon = input.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(input.slice(colon + 1))) {
    return { node: input.slice(0, colon), index: Number(input.slice(colon + 1)), control: false };
  }
  return { node: input, index: 0, control: false };
}

export function formatTensorRef(ref: { node: string; index: number }): string {
  return ref.index === 0 ? ref.node : `${ref.node}:${ref.index}`;
}

export function dataInputs(node: NodeDef): string[] {
  return (node.input ?? []).filter((i) => !i.startsWith('^'));
}
