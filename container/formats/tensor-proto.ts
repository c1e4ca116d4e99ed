import { FormatError } from '../errors';
import { dtypeFromTf, tfFromDtype } from './dtypes';
import { BYTES_PER_ELEMENT, type DType, type Tensor, elementCount, tensorFromBytes, tensorToBytes, zeros } from './tensor';

/** TensorShapeProto and TensorProto in the plain-object view of proto.ts (int64 as decimal strings). */
export interface ShapeProto {
  dim?: Array<{ size?: string; name?: string }>;
  unknownRank?: boolean;
}

export interface TensorProtoObject {
  dtype?: string;
  tensorShape?: ShapeProto;
  tensorContent?: Uint8Array;
  halfVal?: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: string[];
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: string[];
}

/** Dimensions of a shape proto (-1 for unknown), or undefined for unknown rank. proto3 drops `size: 0`. */
export function dimsFromShape(shape: ShapeProto | undefined): number[] | undefined {
  if (!shape || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => Number(d.size ?? 0));
}

export function shapeFromDims(dims: number[] | undefined): ShapeProto {
  if (dims === undefined) return { unknownRank: true };
  return { dim: dims.map((size) => ({ size: String(size) })) };
}

/** Which repeated `*_val` field holds the values of each dtype when tensor_content is absent. */
function repeatedValues(proto: TensorProtoObject, dtype: DType): Array<number | string | boolean | Uint8Array> {
  switch (dtype) {
    case 'float32':
      return proto.floatVal ?? [];
    case 'float64':
      return proto.doubleVal ?? [];
    case 'float16':
    case 'bfloat16':
      return proto.halfVal ?? [];
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
      return proto.intVal ?? [];
    case 'int64':
      return proto.int64Val ?? [];
    case 'uint32':
      return proto.uint32Val ?? [];
    case 'uint64':
      return proto.uint64Val ?? [];
    case 'bool':
      return proto.boolVal ?? [];
    case 'string':
      return proto.stringVal ?? [];
  }
}

/**
 * Decodes a TensorProto. Like TensorFlow, a repeated field shorter than the shape is padded with its last value
 * (a single value fills the whole tensor); an empty one means zeros.
 */
export function tensorFromProto(proto: TensorProtoObject, what: string): Tensor {
  const tfName = proto.dtype ?? 'DT_INVALID';
  const dtype = dtypeFromTf(tfName);
  if (!dtype) throw new FormatError(`${what}: tensor dtype ${tfName} is not supported`);
  const shape = dimsFromShape(proto.tensorShape) ?? [];
  const n = elementCount(shape);
  if (dtype !== 'string' && proto.tensorContent && proto.tensorContent.length > 0) {
    const expected = n * BYTES_PER_ELEMENT[dtype];
    if (proto.tensorContent.length !== expected) {
      throw new FormatError(`${what}: tensor_content has ${proto.tensorContent.length} bytes, shape [${shape}] of ${dtype} needs ${expected}`);
    }
    return tensorFromBytes(dtype, shape, proto.tensorContent);
  }
  const given = repeatedValues(proto, dtype);
  if (given.length > n) throw new FormatError(`${what}: ${given.length} values for shape [${shape}] (${n} elements)`);
  const tensor = zeros(dtype, shape);
  if (given.length === 0) return tensor;
  const values = tensor.values as unknown as Array<number | bigint | Uint8Array>;
  for (let k = 0; k < n; k++) {
    const v = given[Math.min(k, given.length - 1)];
    if (dtype === 'int64' || dtype === 'uint64') values[k] = BigInt(v as string);
    else if (dtype === 'bool') values[k] = v ? 1 : 0;
    else values[k] = v as number | Uint8Array;
  }
  return tensor;
}

/** Encodes a tensor as TensorFlow does for Const nodes: tensor_content for numbers, string_val for strings. */
export function tensorToProto(tensor: Tensor): TensorProtoObject {
  const proto: TensorProtoObject = { dtype: tfFromDtype(tensor.dtype), tensorShape: shapeFromDims(tensor.shape) };
  if (tensor.dtype === 'string') proto.stringVal = tensor.values as Uint8Array[];
  else proto.tensorContent = tensorToBytes(tensor);
  return proto;
}
