/**
 * The project's own tensor: what crosses every seam (engine, serving, transform, agent).
 * tfjs tensors never leave container/engine/.
 */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

/** Storage per dtype. float16/bfloat16 keep their raw 16-bit words; bool is 0/1 bytes; string is raw bytes. */
export interface TensorValuesByDType {
  float32: Float32Array;
  float64: Float64Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
  string: Uint8Array[];
}

export type TensorValues = TensorValuesByDType[DType];

export interface Tensor<D extends DType = DType> {
  dtype: D;
  /** Row-major dimensions; [] is a scalar. */
  shape: number[];
  values: TensorValuesByDType[D];
}

export type NamedTensors = Record<string, Tensor>;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

const typedArrayOf: { [D in Exclude<DType, 'string'>]: new (n: number) => TensorValuesByDType[D] } = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/** A zero-filled tensor (empty strings for 'string'). */
export function zeros<D extends DType>(dtype: D, shape: number[]): Tensor<D> {
  const n = elementCount(shape);
  const values =
    dtype === 'string'
      ? Array.from({ length: n }, () => new Uint8Array(0))
      : new typedArrayOf[dtype as Exclude<DType, 'string'>](n);
  return { dtype, shape, values: values as TensorValuesByDType[D] };
}

/**
 * Typed storage for `dtype` from plain values (numbers, bigints for 64-bit integers, 0/1 for bool, raw 16-bit words
 * for float16/bfloat16, byte arrays for strings).
 */
export function valuesFromList<D extends DType>(dtype: D, list: ArrayLike<unknown>): TensorValuesByDType[D] {
  if (dtype === 'string') return Array.from(list as ArrayLike<Uint8Array>) as TensorValuesByDType[D];
  const Typed = typedArrayOf[dtype as Exclude<DType, 'string'>] as unknown as { from(list: ArrayLike<unknown>): TensorValuesByDType[D] };
  return Typed.from(list);
}

/** Builds a tensor and checks that the number of values matches the shape. */
export function makeTensor<D extends DType>(dtype: D, shape: number[], values: TensorValuesByDType[D]): Tensor<D> {
  const expected = elementCount(shape);
  if (values.length !== expected) {
    throw new RangeError(`tensor of shape [${shape.join(',')}] needs ${expected} values, got ${values.length}`);
  }
  return { dtype, shape, values };
}

/** Bytes per element for the fixed-width dtypes (the little-endian layout in TensorBundles and tensor_content). */
export const BYTES_PER_ELEMENT: { [D in Exclude<DType, 'string'>]: number } = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/** Reads little-endian bytes (any alignment) into a tensor of a fixed-width dtype. */
export function tensorFromBytes<D extends Exclude<DType, 'string'>>(dtype: D, shape: number[], bytes: Uint8Array): Tensor<D> {
  const n = elementCount(shape);
  const width = BYTES_PER_ELEMENT[dtype];
  if (bytes.length !== n * width) {
    throw new RangeError(`${dtype} tensor of shape [${shape.join(',')}] needs ${n * width} bytes, got ${bytes.length}`);
  }
  const aligned = new Uint8Array(bytes); // copy: typed-array views need alignment, and callers' buffers are reused
  const values = new typedArrayOf[dtype](n);
  new Uint8Array(values.buffer).set(aligned);
  return { dtype, shape, values };
}

/** The little-endian bytes of a fixed-width tensor. */
export function tensorToBytes(tensor: Tensor): Uint8Array {
  if (tensor.dtype === 'string') throw new TypeError('string tensors have no fixed-width byte layout');
  const values = tensor.values as Exclude<TensorValues, Uint8Array[]>;
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}
