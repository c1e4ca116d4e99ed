import type * as tfc from '@tensorflow/tfjs-core';
import { InvalidArgumentError, UnsupportedModelError } from '../errors';
import { makeTensor, type DType, type Tensor, type TensorValuesByDType } from '../formats/tensor';
import { bfloat16ToNumber, float16ToNumber, numberToBfloat16, numberToFloat16 } from '../formats/half-precision';
import type { SignatureInfo, TensorSpec } from './engine';

/**
 * The one place where the project's tensors become tfjs tensors and back, shared by the pure engine
 * (`@tensorflow/tfjs-core`) and the native engine (tfjs-node's copy of it), hence the module passed in as `tf`.
 *
 * tfjs computes with four dtypes only, so some TensorFlow dtypes are carried in a wider or narrower one
 * (engine.md §8 pitfall 9). Narrowing is never silent: a value that does not survive it is rejected with its
 * index. The float widenings and float16/bfloat16 roundings are inherent and listed by `lossyDtypeNotes`.
 */
export type TfCore = typeof tfc;
export type TfjsDType = 'float32' | 'int32' | 'bool' | 'string';

const tfjsDtypeByDType: Record<DType, TfjsDType> = {
  float32: 'float32',
  float64: 'float32',
  float16: 'float32',
  bfloat16: 'float32',
  int8: 'int32',
  int16: 'int32',
  int32: 'int32',
  int64: 'int32',
  uint8: 'int32',
  uint16: 'int32',
  uint32: 'int32',
  uint64: 'int32',
  bool: 'bool',
  string: 'string',
};

/** The tfjs dtype a TensorFlow dtype is computed with. */
export function tfjsDtypeOf(dtype: DType): TfjsDType {
  return tfjsDtypeByDType[dtype];
}

type IntegerDType = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

/** Inclusive ranges a JS number can hold exactly; 64-bit types stop at 2^53 because tfjs values are JS numbers. */
const integerRange: Record<IntegerDType, readonly [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

function isIntegerDType(dtype: DType): dtype is IntegerDType {
  return dtype in integerRange;
}

// ---- project tensor → tfjs ----

/** The values as JS numbers: half words decoded, 64-bit integers converted (exact up to 2^53). */
function numbersOf(tensor: Tensor): ArrayLike<number> {
  switch (tensor.dtype) {
    case 'float16':
      return Array.from(tensor.values as Uint16Array, float16ToNumber);
    case 'bfloat16':
      return Array.from(tensor.values as Uint16Array, bfloat16ToNumber);
    case 'int64':
    case 'uint64':
      return Array.from(tensor.values as BigInt64Array | BigUint64Array, Number);
    case 'string':
      throw new TypeError('string tensors have no numeric values');
    default:
      return tensor.values as ArrayLike<number>;
  }
}

/** Index of the first value that is not an integer within [min, max], or -1. */
function firstNotIntegerIn(values: ArrayLike<number>, [min, max]: readonly [number, number]): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < min || v > max) return i;
  }
  return -1;
}

function valueAt(tensor: Tensor, index: number): string {
  return String((tensor.values as ArrayLike<unknown>)[index]);
}

/**
 * A tfjs tensor holding `tensor`, as `targetDtype` (default: the dtype tfjs computes `tensor.dtype` with).
 * Numeric and bool tensors convert among themselves; strings stay strings (raw bytes, never decoded).
 * `name` labels errors, e.g. `input 'x'`.
 */
export function toTfjs(tf: TfCore, tensor: Tensor, targetDtype?: TfjsDType, name = 'tensor'): tfc.Tensor {
  const target = targetDtype ?? tfjsDtypeOf(tensor.dtype);
  if (tensor.dtype === 'string' || target === 'string') {
    if (tensor.dtype !== target) {
      throw new InvalidArgumentError(`${name}: a ${tensor.dtype} tensor cannot be fed where tfjs expects ${target}`);
    }
    return tf.tensor(tensor.values as Uint8Array[], tensor.shape, 'string');
  }
  return tf.tensor(tfjsValues(tensor, target, name), tensor.shape, target);
}

function tfjsValues(tensor: Tensor, target: Exclude<TfjsDType, 'string'>, name: string): Float32Array | Int32Array | Uint8Array {
  // tfjs keeps these arrays without copying; the engines dispose the tfjs tensor before run() returns
  if (tensor.dtype === target) return tensor.values as Float32Array | Int32Array | Uint8Array;
  const numbers = numbersOf(tensor);
  if (target === 'float32') return Float32Array.from(numbers);
  if (target === 'bool') return Uint8Array.from(numbers, (v) => (v !== 0 ? 1 : 0));
  const bad = firstNotIntegerIn(numbers, integerRange.int32);
  if (bad >= 0) {
    const [min, max] = integerRange.int32;
    throw new InvalidArgumentError(
      `${name}: ${tensor.dtype} value ${valueAt(tensor, bad)} at index ${bad} is not an integer in [${min}, ${max}], ` +
        `the int32 range tfjs computes ${tensor.dtype} with`,
    );
  }
  return Int32Array.from(numbers);
}

// ---- tfjs → project tensor ----

/**
 * Reads a tfjs tensor back as `declaredDtype` (the signature's dtype), e.g. an int32 result declared int64 becomes
 * a BigInt64Array tensor. Does not dispose `t`. Integer results outside the declared range are rejected rather than
 * wrapped as TensorFlow would, since tfjs computed them in a different width.
 */
export function fromTfjs(tf: TfCore, t: tfc.Tensor, declaredDtype: DType, name = 'tensor'): Tensor {
  const shape = [...t.shape];
  if ((t.dtype === 'string') !== (declaredDtype === 'string') || t.dtype === 'complex64' || (declaredDtype === 'bool' && t.dtype !== 'bool')) {
    throw new UnsupportedModelError(`${name}: declared ${declaredDtype}, but tfjs produced a ${t.dtype} tensor`);
  }
  if (declaredDtype === 'string') {
    // dataSync() would UTF-8-decode the bytes and corrupt binary strings; the engine routes to the tensor's backend
    return makeTensor('string', shape, tf.engine().readSync(t.dataId) as Uint8Array[]);
  }
  const numbers = t.dataSync() as Float32Array | Int32Array | Uint8Array;
  return makeTensor(declaredDtype, shape, declaredValues(numbers, declaredDtype, name));
}

function declaredValues(numbers: Float32Array | Int32Array | Uint8Array, dtype: Exclude<DType, 'string'>, name: string) {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(numbers);
    case 'float64':
      return Float64Array.from(numbers);
    case 'float16':
      return Uint16Array.from(numbers, numberToFloat16);
    case 'bfloat16':
      return Uint16Array.from(numbers, numberToBfloat16);
    case 'bool':
      return Uint8Array.from(numbers);
    default:
      return integerValues(numbers, dtype, name);
  }
}

function integerValues(numbers: ArrayLike<number>, dtype: IntegerDType, name: string): TensorValuesByDType[IntegerDType] {
  const bad = firstNotIntegerIn(numbers, integerRange[dtype]);
  if (bad >= 0) {
    const [min, max] = integerRange[dtype];
    throw new UnsupportedModelError(
      `${name}: tfjs computed ${numbers[bad]} at index ${bad}, which is not a ${dtype} value in [${min}, ${max}]`,
    );
  }
  switch (dtype) {
    case 'int8':
      return Int8Array.from(numbers);
    case 'int16':
      return Int16Array.from(numbers);
    case 'int32':
      return Int32Array.from(numbers);
    case 'uint8':
      return Uint8Array.from(numbers);
    case 'uint16':
      return Uint16Array.from(numbers);
    case 'uint32':
      return Uint32Array.from(numbers);
    case 'int64':
      return BigInt64Array.from(Array.from(numbers, BigInt));
    case 'uint64':
      return BigUint64Array.from(Array.from(numbers, BigInt));
  }
}

// ---- what tfjs cannot compute exactly ----

function inputNote(dtype: DType): string | undefined {
  switch (dtype) {
    case 'int64':
    case 'uint32':
    case 'uint64':
      return `${dtype} is computed as int32 by tfjs; values outside [-2^31, 2^31-1] are rejected`;
    case 'float64':
      return 'float64 is computed as float32 by tfjs (about 7 significant digits; beyond ±3.4e38 becomes ±Infinity)';
    case 'float16':
    case 'bfloat16':
      return `${dtype} is widened to float32 exactly, and tfjs computes in float32, so results can differ from TensorFlow's ${dtype} arithmetic`;
    default:
      return undefined;
  }
}

function outputNote(dtype: DType): string | undefined {
  if (dtype === 'float64') return 'float64 is computed as float32 by tfjs (about 7 significant digits)';
  if (dtype === 'float16' || dtype === 'bfloat16') return `${dtype} is computed as float32 by tfjs and rounded to ${dtype} (nearest even)`;
  if (dtype === 'int64' || dtype === 'uint64') return `${dtype} is computed as int32 by tfjs; results beyond the int32 range overflow inside tfjs`;
  if (isIntegerDType(dtype) && dtype !== 'int32') {
    const [min, max] = integerRange[dtype];
    return `${dtype} is computed as int32 by tfjs; results outside [${min}, ${max}] are rejected rather than wrapped`;
  }
  return undefined;
}

/** Human-readable notes on every input and output of a signature that tfjs cannot compute exactly in its dtype. */
export function lossyDtypeNotes(signature: Pick<SignatureInfo, 'inputs' | 'outputs'>): string[] {
  const notes = (kind: string, specs: Record<string, TensorSpec>, note: (d: DType) => string | undefined) =>
    Object.entries(specs).flatMap(([key, spec]) => {
      const text = note(spec.dtype);
      return text ? [`${kind} ${key}: ${text}`] : [];
    });
  return [...notes('input', signature.inputs, inputNote), ...notes('output', signature.outputs, outputNote)];
}
