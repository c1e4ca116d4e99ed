import type { TensorSpec } from '../../engine/engine';
import { InvalidArgumentError } from '../../errors';
import type { Feature, FeatureKind } from '../../formats/example';
import { elementCount, zeros, type DType, type Tensor } from '../../formats/tensor';
import { formatFloat32 } from '../../tfs/float-format';
import { base64Json } from '../../tfs/predict-response';
import { tfTypeName } from '../../tfs/json-to-tensor';

/**
 * One feature of one tf.Example → the JSON text of its value in a row-format (`instances`) predict request, for a
 * signature that takes dense inputs rather than serialized examples. The feature's values fill the input's shape
 * without its batch dimension, row-major, as tf.io.parse_example's FixedLenFeature does:
 *
 * - shape unknown: one value is a scalar, several a list;
 * - shape [batch, d1, …]: exactly d1·… values, nested to [d1, …]; one unknown dimension is inferred from the count.
 *
 * A float_list feeds float and double inputs; an int64_list integer inputs, float and double inputs (when exact) and
 * bool inputs (0 or 1); a bytes_list string inputs. The values are written so the TF Serving JSON reader sees their
 * kind: floats always with a fraction or exponent, bytes as `{"b64": …}`.
 */

/** A feature's kind and values: an Example's, or a float_list read straight into a Float32Array. */
export interface DenseFeature {
  kind: FeatureKind;
  values: ArrayLike<unknown>;
}

export interface DenseInput {
  name: string;
  spec: TensorSpec;
}

const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64'];
const INTEGER_DTYPES: readonly DType[] = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'];

/** `where` names the example (`example 2 (record at byte offset 84)`) in every error. */
export function denseValueJson(feature: Feature | undefined, input: DenseInput, where: string): string {
  const fail = (problem: string) => new InvalidArgumentError(`${where}: feature ${JSON.stringify(input.name)} ${problem}`);
  if (feature === undefined) {
    throw fail(`is missing; input ${input.name} (${tfTypeName(input.spec.dtype)}) of the signature takes it`);
  }
  const items = valueTexts(feature, input.spec.dtype, fail);
  return nest(items, exampleDims(input.spec.shape, items.length, fail), 0);
}

function valueTexts(feature: Feature, dtype: DType, fail: (problem: string) => Error): string[] {
  if (feature.kind === 'int64' && dtype === 'bool') return feature.values.map((value) => boolText(value, fail));
  const fits =
    (feature.kind === 'bytes' && dtype === 'string') ||
    (feature.kind === 'float' && FLOAT_DTYPES.includes(dtype)) ||
    (feature.kind === 'int64' && (INTEGER_DTYPES.includes(dtype) || FLOAT_DTYPES.includes(dtype)));
  if (!fits) throw fail(`is a ${feature.kind}_list; an input of dtype ${tfTypeName(dtype)} cannot take it`);
  return featureValueTexts(feature);
}

/** The feature's values as TF Serving JSON literals of their own kind (what a classify/regress example holds). */
export function featureValueTexts(feature: Feature): string[] {
  switch (feature.kind) {
    case 'bytes':
      return feature.values.map(base64Json);
    case 'float':
      return feature.values.map(formatFloat32);
    case 'int64':
      return feature.values.map(String);
  }
}

function boolText(value: bigint, fail: (problem: string) => Error): string {
  if (value !== 0n && value !== 1n) throw fail(`holds ${value}; a bool input takes 0 or 1`);
  return value === 1n ? 'true' : 'false';
}

/**
 * The tensor that denseValueJson's texts for every example make once TF Serving's JSON reader has read them, built
 * directly, for the two common cases: float_list features into a float input, int64_list features into an int64
 * input. Undefined for any other case, and whenever an example does not fit the input or the others (the text path
 * then names the problem).
 */
export function denseTensor(features: (DenseFeature | undefined)[], input: DenseInput): Tensor | undefined {
  const { dtype, shape } = input.spec;
  const kind = dtype === 'float32' ? 'float' : dtype === 'int64' ? 'int64' : undefined;
  if (kind === undefined) return undefined;
  let dims: number[] | undefined;
  for (const feature of features) {
    if (feature === undefined || feature.kind !== kind || feature.values.length === 0) return undefined;
    let exampleDimensions: number[];
    try {
      exampleDimensions = exampleDims(shape, feature.values.length, (problem) => new Error(problem));
    } catch {
      return undefined;
    }
    if (dims !== undefined && exampleDimensions.join() !== dims.join()) return undefined;
    dims = exampleDimensions;
  }
  if (dims === undefined) return undefined;
  const batched = zeros(dtype, [features.length, ...dims]);
  const size = elementCount(dims);
  // a float_list's numbers fill a Float32Array, an int64_list's bigints a BigInt64Array
  features.forEach((feature, index) => (batched.values as Float32Array).set(feature!.values as ArrayLike<number>, index * size));
  return batched;
}

/** The per-example dimensions the `count` values fill. */
function exampleDims(shape: number[] | undefined, count: number, fail: (problem: string) => Error): number[] {
  if (shape === undefined) return count === 1 ? [] : [count];
  if (shape.length === 0) throw fail('feeds a scalar input, which has no batch dimension to hold one value per example');
  const dims = shape.slice(1);
  const known = dims.filter((d) => d >= 0).reduce((product, d) => product * d, 1);
  const unknown = dims.length - dims.filter((d) => d >= 0).length;
  const perExample = `[${dims.join(',')}]`;
  if (unknown === 0 && known === count) return dims;
  if (unknown === 1 && known > 0 && count % known === 0) return dims.map((d) => (d < 0 ? count / known : d));
  throw fail(`has ${count} value${count === 1 ? '' : 's'}, but the input's shape per example is ${perExample}`);
}

/** Row-major `items` as nested JSON lists of `dims`; no dims is the scalar itself. */
function nest(items: string[], dims: number[], offset: number): string {
  if (dims.length === 0) return items[offset];
  const [first, ...rest] = dims;
  const stride = rest.reduce((product, d) => product * d, 1);
  return `[${Array.from({ length: first }, (_, i) => nest(items, rest, offset + i * stride)).join(',')}]`;
}
