import { FormatError, InvalidArgumentError, UnsupportedModelError } from '../../errors';
import { decodeExample, type Example, type Feature } from '../../formats/example';
import { elementCount, makeTensor, valuesFromList, type Tensor } from '../../formats/tensor';

/**
 * The pure half of the ParseExample / ParseExampleV2 ops: serialized tf.Examples plus a feature spec in, the op's
 * output tensors out. TensorFlow's int64 becomes int32 here because tfjs has no int64 (the converter maps DT_INT64
 * to int32 everywhere); values that do not fit are an error, never a silent wrap.
 */
export type FeatureDType = 'float32' | 'int32' | 'string';

export type FeatureTensor = Tensor<FeatureDType>;

export interface DenseFeatureSpec {
  key: string;
  dtype: FeatureDType;
  /** Shape of one example's value. A leading -1 makes it variable-length, padded with the default's first value. */
  shape: number[];
  /** TF's dense_defaults entry; empty means the feature is required. */
  defaultValue: FeatureTensor;
}

export interface ListFeatureSpec {
  key: string;
  dtype: FeatureDType;
}

export interface ExampleParserSpec {
  sparse: ListFeatureSpec[];
  dense: DenseFeatureSpec[];
  ragged: ListFeatureSpec[];
}

export interface SparseOutput {
  indices: Tensor<'int32'>;
  values: FeatureTensor;
  denseShape: Tensor<'int32'>;
}

export interface RaggedOutput {
  values: FeatureTensor;
  rowSplits: Tensor<'int32'>;
}

export interface ParsedExamples {
  sparse: SparseOutput[];
  dense: FeatureTensor[];
  ragged: RaggedOutput[];
}

export interface ParseOptions {
  /** TF's `names` input, used only in error messages; empty when the graph gives none. */
  names?: string[];
  /** ParseExampleV2 accepts a scalar `serialized`; its outputs then have no batch dimension. */
  scalar?: boolean;
}

type FeatureValue = number | Uint8Array;

/** DataTypeString() of the dtypes TF allows here, for messages worded like TensorFlow's. */
const TF_TYPE_NAME: Record<FeatureDType, string> = { float32: 'float', int32: 'int64', string: 'string' };
const KIND_TYPE_NAME: Record<Feature['kind'], string> = { float: 'float', int64: 'int64', bytes: 'string' };
const VALUE_NOUN: Record<FeatureDType, string> = { float32: 'float', int32: 'int64', string: 'bytes' };

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;


function featureTensor(dtype: FeatureDType, shape: number[], list: FeatureValue[]): FeatureTensor {
  return makeTensor(dtype, shape, valuesFromList(dtype, list));
}

function int32Tensor(shape: number[], list: number[]): Tensor<'int32'> {
  return makeTensor('int32', shape, Int32Array.from(list));
}

function tensorList(tensor: FeatureTensor): FeatureValue[] {
  return Array.from(tensor.values as ArrayLike<FeatureValue>);
}

/** push(...source) overflows the call stack on large features (an image as a float_list); this does not. */
function append(target: FeatureValue[], source: readonly FeatureValue[]): void {
  for (const value of source) target.push(value);
}

function formatShape(shape: number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : d)).join(',')}]`;
}

/** One example being parsed: its index and TF-style name, for messages. */
class ExampleContext {
  constructor(
    readonly index: number,
    readonly name: string,
    readonly features: Example,
  ) {}

  error(key: string, message: string): InvalidArgumentError {
    return new InvalidArgumentError(`Name: ${this.name}, Key: ${key}, Index: ${this.index}.  ${message}`);
  }

  /**
   * The feature's values converted to `dtype`, or undefined when absent. Unlike TensorFlow, an int64_list is accepted
   * for a float feature, so that a request written `{"x": 1}` works like `{"x": 1.0}`.
   */
  values(key: string, dtype: FeatureDType): FeatureValue[] | undefined {
    const feature = this.features[key];
    if (!feature) return undefined;
    if (dtype === 'string' && feature.kind === 'bytes') return feature.values;
    if (dtype === 'float32' && feature.kind === 'float') return feature.values;
    if (dtype === 'float32' && feature.kind === 'int64') return feature.values.map(Number);
    if (dtype === 'int32' && feature.kind === 'int64') return feature.values.map((v) => this.toInt32(key, v));
    throw this.error(
      key,
      `Data types don't match. Data type: ${KIND_TYPE_NAME[feature.kind]} but expected type: ${TF_TYPE_NAME[dtype]}`,
    );
  }

  private toInt32(key: string, value: bigint): number {
    if (value < INT32_MIN || value > INT32_MAX) {
      throw this.error(key, `int64 value ${value} does not fit in int32, which tfjs uses for int64.`);
    }
    return Number(value);
  }
}

function decodeAll(serialized: Uint8Array[], names: string[]): ExampleContext[] {
  return serialized.map((bytes, index) => {
    const name = names.length === serialized.length ? names[index] : '<unknown>';
    try {
      return new ExampleContext(index, name, decodeExample(bytes, `serialized[${index}]`));
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      throw new InvalidArgumentError(`Name: ${name}, Index: ${index}.  Can't parse serialized Example: ${err.message}`);
    }
  });
}

function checkDenseSpec(spec: DenseFeatureSpec): void {
  const [first, ...rest] = spec.shape;
  const fixedDims = first === -1 ? rest : spec.shape;
  if (fixedDims.some((d) => d < 0)) {
    throw new UnsupportedModelError(
      `ParseExample: dense feature ${spec.key} has shape ${formatShape(spec.shape)}; only the first dimension may be unknown`,
    );
  }
  const defaults = spec.defaultValue.values.length;
  if (first !== -1 && defaults !== 0 && defaults !== elementCount(spec.shape)) {
    throw new FormatError(
      `ParseExample: dense_defaults for ${spec.key} has ${defaults} values but shape ${formatShape(spec.shape)} needs ${elementCount(spec.shape)}`,
    );
  }
}

function parseFixedDense(examples: ExampleContext[], spec: DenseFeatureSpec, batchShape: number[]): FeatureTensor {
  const stride = elementCount(spec.shape);
  const out: FeatureValue[] = [];
  for (const example of examples) {
    const values = example.values(spec.key, spec.dtype);
    if (values === undefined) {
      if (spec.defaultValue.values.length === 0) {
        throw new InvalidArgumentError(
          `Name: ${example.name}, Feature: ${spec.key} (data type: ${TF_TYPE_NAME[spec.dtype]}) is required but could not be found.`,
        );
      }
      append(out, tensorList(spec.defaultValue));
    } else if (values.length !== stride) {
      throw example.error(
        spec.key,
        `Number of ${VALUE_NOUN[spec.dtype]} values != expected.  Values size: ${values.length} but output shape: ${formatShape(spec.shape)}`,
      );
    } else {
      append(out, values);
    }
  }
  return featureTensor(spec.dtype, [...batchShape, ...spec.shape], out);
}

function paddingValue(spec: DenseFeatureSpec): FeatureValue {
  if (spec.defaultValue.values.length > 0) return tensorList(spec.defaultValue)[0];
  return spec.dtype === 'string' ? new Uint8Array(0) : 0;
}

/** FixedLenSequenceFeature: rows of `shape[1:]`, as many as the example has, padded to the longest example. */
function parseVariableDense(examples: ExampleContext[], spec: DenseFeatureSpec, batchShape: number[]): FeatureTensor {
  const rowShape = spec.shape.slice(1);
  const stride = elementCount(rowShape);
  const perExample = examples.map((example) => {
    const values = example.values(spec.key, spec.dtype) ?? [];
    if (stride === 0 ? values.length !== 0 : values.length % stride !== 0) {
      throw example.error(
        spec.key,
        `Number of ${VALUE_NOUN[spec.dtype]} values is not a multiple of stride length. Saw ${values.length} values but output shape is: ${formatShape(spec.shape)}`,
      );
    }
    return values;
  });
  const rows = perExample.reduce((most, values) => Math.max(most, stride === 0 ? 0 : values.length / stride), 0);
  const padding = paddingValue(spec);
  const out: FeatureValue[] = [];
  for (const values of perExample) {
    append(out, values);
    for (let k = values.length; k < rows * stride; k++) out.push(padding);
  }
  return featureTensor(spec.dtype, [...batchShape, rows, ...rowShape], out);
}

function parseSparse(examples: ExampleContext[], spec: ListFeatureSpec, scalar: boolean): SparseOutput {
  const indices: number[] = [];
  const values: FeatureValue[] = [];
  let longest = 0;
  for (const example of examples) {
    const list = example.values(spec.key, spec.dtype) ?? [];
    for (let position = 0; position < list.length; position++) {
      if (!scalar) indices.push(example.index);
      indices.push(position);
    }
    append(values, list);
    longest = Math.max(longest, list.length);
  }
  const rank = scalar ? 1 : 2;
  return {
    indices: int32Tensor([values.length, rank], indices),
    values: featureTensor(spec.dtype, [values.length], values),
    denseShape: int32Tensor([rank], scalar ? [longest] : [examples.length, longest]),
  };
}

function parseRagged(examples: ExampleContext[], spec: ListFeatureSpec): RaggedOutput {
  const values: FeatureValue[] = [];
  const rowSplits = [0];
  for (const example of examples) {
    append(values, example.values(spec.key, spec.dtype) ?? []);
    rowSplits.push(values.length);
  }
  return {
    values: featureTensor(spec.dtype, [values.length], values),
    rowSplits: int32Tensor([rowSplits.length], rowSplits),
  };
}

/** Parses a batch of serialized tf.Examples as TensorFlow's ParseExample kernels do. */
export function parseExamples(serialized: Uint8Array[], spec: ExampleParserSpec, options: ParseOptions = {}): ParsedExamples {
  const scalar = options.scalar ?? false;
  if (scalar && serialized.length !== 1) {
    throw new RangeError(`a scalar serialized input holds one Example, got ${serialized.length}`);
  }
  if (scalar && spec.ragged.length > 0) {
    throw new UnsupportedModelError('ParseExampleV2: ragged features of a scalar serialized input are not supported');
  }
  spec.dense.forEach(checkDenseSpec);
  const examples = decodeAll(serialized, options.names ?? []);
  const batchShape = scalar ? [] : [serialized.length];
  return {
    sparse: spec.sparse.map((s) => parseSparse(examples, s, scalar)),
    dense: spec.dense.map((d) =>
      d.shape[0] === -1 ? parseVariableDense(examples, d, batchShape) : parseFixedDense(examples, d, batchShape),
    ),
    ragged: spec.ragged.map((r) => parseRagged(examples, r)),
  };
}
