import { InvalidArgumentError } from '../errors';
import { FLOAT32_MAX } from './float-format';
import { makeTensor, valuesFromList, type DType, type Tensor } from '../formats/tensor';
import { isJsonObject, JsonNumber, type JsonValue } from './json-parse';
import { jsonTypeName, jsonValueToText } from './json-text';

/**
 * One JSON value (a scalar or a nest of lists) → one tensor of the signature's dtype, with TensorFlow Serving's
 * rules (json_tensor.cc GetDenseTensorShape, FillTensorProto, AddValueToTensor) and error strings.
 */

/** TensorFlow's DataTypeString names, which TFS prints in its messages. */
const tfTypeNames: Record<DType, string> = {
  float32: 'float',
  float64: 'double',
  float16: 'half',
  bfloat16: 'bfloat16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  bool: 'bool',
  string: 'string',
};

export function tfTypeName(dtype: DType): string {
  return tfTypeNames[dtype];
}

/** The shape read from the first element at every level; a scalar has shape []. */
export function denseShape(value: JsonValue): number[] {
  const shape: number[] = [];
  let level = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

export function jsonToTensor(value: JsonValue, dtype: DType): Tensor {
  const shape = denseShape(value);
  const convert = converterFor(dtype);
  const values: unknown[] = [];
  collectLeaves(value, 0, shape, (leaf) => values.push(convert(leaf)));
  return makeTensor(dtype, shape, valuesFromList(dtype, values));
}

/** Visits leaves in row-major order, rejecting ragged nests the way FillTensorProto does. */
function collectLeaves(value: JsonValue, level: number, shape: number[], visit: (leaf: JsonValue) => void): void {
  const rank = shape.length;
  if (!Array.isArray(value)) {
    if (level !== rank) {
      throw new InvalidArgumentError(
        `JSON Value: ${jsonValueToText(value)} found at incorrect level: ${level + 1} in the JSON DOM. Expected at level: ${rank}`,
      );
    }
    visit(value);
    return;
  }
  if (level >= rank) {
    throw new InvalidArgumentError(`Encountered list at unexpected level: ${level} expected < ${rank}`);
  }
  if (value.length !== shape[level]) {
    throw new InvalidArgumentError(
      `Encountered list at unexpected size: ${value.length} at level: ${level} expected size: ${shape[level]}`,
    );
  }
  for (const item of value) collectLeaves(item, level + 1, shape, visit);
}

function typeError(value: JsonValue, dtype: DType): InvalidArgumentError {
  return new InvalidArgumentError(
    `JSON Value: ${jsonValueToText(value)} Type: ${jsonTypeName(value)} is not of expected type: ${tfTypeName(dtype)}`,
  );
}

type Converter = (leaf: JsonValue) => unknown;

const utf8 = new TextEncoder();

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const integerRanges: Partial<Record<DType, [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [INT64_MIN, INT64_MAX],
  uint64: [0n, UINT64_MAX],
};

/** Largest integers the float types hold exactly (2^digits − 1), as TFS's IsLosslessDecimal counts them. */
export const EXACT_INTEGER_LIMITS = { float32: 2n ** 24n - 1n, float64: 2n ** 53n - 1n };

function converterFor(dtype: DType): Converter {
  switch (dtype) {
    case 'float32':
    case 'float64':
      return (leaf) => {
        if (!(leaf instanceof JsonNumber)) throw typeError(leaf, dtype);
        if (!isLossless(leaf, dtype)) {
          throw new InvalidArgumentError(
            `Cannot convert JSON value: ${jsonValueToText(leaf)} to ${tfTypeName(dtype)} without loss of precision.`,
          );
        }
        return leaf.value;
      };
    case 'bool':
      return (leaf) => {
        if (typeof leaf !== 'boolean') throw typeError(leaf, dtype);
        return leaf ? 1 : 0;
      };
    case 'string':
      return (leaf) => {
        if (typeof leaf === 'string') return utf8.encode(leaf);
        if (leaf !== null && isJsonObject(leaf)) return decodeBase64Object(leaf);
        throw typeError(leaf, dtype);
      };
    case 'float16':
    case 'bfloat16':
      return (leaf) => {
        throw new InvalidArgumentError(`Conversion of JSON Value: ${jsonValueToText(leaf)} to type: ${tfTypeName(dtype)}`);
      };
    default: {
      const [min, max] = integerRanges[dtype] as [bigint, bigint];
      const wide = dtype === 'int64' || dtype === 'uint64';
      return (leaf) => {
        if (!(leaf instanceof JsonNumber) || !leaf.isIntegerLiteral) throw typeError(leaf, dtype);
        const integer = BigInt(leaf.text);
        if (integer < min || integer > max) throw typeError(leaf, dtype);
        return wide ? integer : Number(integer);
      };
    }
  }
}

function isLossless(leaf: JsonNumber, dtype: 'float32' | 'float64'): boolean {
  if (!Number.isFinite(leaf.value)) return true;
  if (leaf.isIntegerLiteral) {
    const integer = BigInt(leaf.text);
    // rapidjson reads integers beyond the 64-bit ranges as doubles, which fall to the range check below.
    if (integer >= INT64_MIN && integer <= UINT64_MAX) {
      return (integer < 0n ? -integer : integer) <= EXACT_INTEGER_LIMITS[dtype];
    }
  }
  return dtype === 'float64' || Math.abs(leaf.value) <= FLOAT32_MAX;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `{"b64": "..."}`: exactly one member, a string. */
export function isBase64Object(value: JsonValue): boolean {
  return value !== null && isJsonObject(value) && value.size === 1 && typeof value.get('b64') === 'string';
}

function decodeBase64Object(value: Map<string, JsonValue>): Uint8Array {
  if (!isBase64Object(value)) {
    throw new InvalidArgumentError(`JSON Value: ${jsonValueToText(value)} not formatted correctly for base64 data`);
  }
  const text = value.get('b64') as string;
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new InvalidArgumentError('Unable to base64 decode');
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

