import * as tf from '@tensorflow/tfjs-core';
import { registerOp, type GraphNode } from '@tensorflow/tfjs-converter';
import { FormatError } from '../../errors';
import { makeTensor } from '../../formats/tensor';
import {
  parseExamples,
  type ExampleParserSpec,
  type FeatureDType,
  type FeatureTensor,
  type ListFeatureSpec,
  type ParsedExamples,
} from './example-parser';

/**
 * ParseExample (TF1) and ParseExampleV2 (TF ≥ 2.1) as tfjs custom ops: a thin shell that reads the node's inputs and
 * attrs, runs the pure parser, and returns tensors in TensorFlow's output order (sparse indices, sparse values,
 * sparse shapes, dense values, then for V2 ragged values and ragged row splits).
 *
 * Attrs arrive through tfjs-converter's getAttr: ints as numbers, type lists as tfjs dtypes (DT_INT64 → 'int32'),
 * shape lists as number[][]. getAttr tries `list.i` before `list.type` and `list.shape`, so the graph JSON must omit
 * empty repeated fields of AttrValue.ListValue (as TensorFlow's JSON form does); a zero or an empty list may also be
 * omitted altogether, which getAttr reports as undefined.
 */

const FEATURE_DTYPES: readonly string[] = ['float32', 'int32', 'string'];

type OpName = 'ParseExample' | 'ParseExampleV2';

function attrCount(op: OpName, node: GraphNode, name: string): number {
  const value = node.attrs[name] ?? 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new FormatError(`${op}: attr ${name} is ${JSON.stringify(value)}, expected a count`);
  }
  return value;
}

function attrList<T>(op: OpName, node: GraphNode, name: string, count: number, isEntry: (v: unknown) => v is T): T[] {
  const value: unknown = node.attrs[name] ?? [];
  if (!Array.isArray(value) || value.length !== count || !value.every(isEntry)) {
    throw new FormatError(
      `${op}: attr ${name} is ${JSON.stringify(value)}, expected ${count} entries ` +
        '(the graph JSON must leave out empty repeated fields of AttrValue lists)',
    );
  }
  return value;
}

const isFeatureDType = (v: unknown): v is FeatureDType => typeof v === 'string' && FEATURE_DTYPES.includes(v);
const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= -1);

/** Raw bytes of a string tensor: dataSync() would UTF-8-decode them and corrupt binary Examples. */
function stringValues(tensor: tf.Tensor): Uint8Array[] {
  return tf.engine().readSync(tensor.dataId) as Uint8Array[];
}

function keyList(tensor: tf.Tensor): string[] {
  const decoder = new TextDecoder();
  return stringValues(tensor).map((bytes) => decoder.decode(bytes));
}

function toFeatureTensor(op: OpName, tensor: tf.Tensor, key: string): FeatureTensor {
  if (!isFeatureDType(tensor.dtype)) {
    throw new FormatError(`${op}: dense_defaults for ${key} has dtype ${tensor.dtype}; expected float, int64 or string`);
  }
  const values = tensor.dtype === 'string' ? stringValues(tensor) : (tensor.dataSync() as Float32Array | Int32Array);
  return makeTensor(tensor.dtype, tensor.shape, values);
}

function listSpecs(keys: string[], dtypes: FeatureDType[]): ListFeatureSpec[] {
  return keys.map((key, i) => ({ key, dtype: dtypes[i] }));
}

/** Each dense dtype is its default's dtype: TensorFlow infers Tdense from dense_defaults, so the attr adds nothing. */
function denseSpecs(op: OpName, node: GraphNode, keys: string[], defaults: tf.Tensor[]): ExampleParserSpec['dense'] {
  const shapes = attrList(op, node, 'dense_shapes', keys.length, isShape);
  return keys.map((key, i) => {
    const defaultValue = toFeatureTensor(op, defaults[i], key);
    return { key, dtype: defaultValue.dtype, shape: shapes[i], defaultValue };
  });
}

/** Inputs: serialized, names, sparse_keys × Nsparse and dense_keys × Ndense (string scalars), dense_defaults × Ndense. */
function parseExampleV1(node: GraphNode): tf.Tensor[] {
  const op = 'ParseExample';
  const numSparse = attrCount(op, node, 'Nsparse');
  const numDense = attrCount(op, node, 'Ndense');
  const [serialized, names, ...rest] = node.inputs;
  const sparseKeys = rest.slice(0, numSparse).flatMap(keyList);
  const denseKeys = rest.slice(numSparse, numSparse + numDense).flatMap(keyList);
  const defaults = rest.slice(numSparse + numDense, numSparse + 2 * numDense);
  const spec: ExampleParserSpec = {
    sparse: listSpecs(sparseKeys, attrList(op, node, 'sparse_types', numSparse, isFeatureDType)),
    dense: denseSpecs(op, node, denseKeys, defaults),
    ragged: [],
  };
  return outputTensors(parseExamples(stringValues(serialized), spec, { names: keyList(names) }));
}

/** Inputs: serialized (vector or scalar), names, sparse_keys, dense_keys, ragged_keys (vectors), dense_defaults. */
function parseExampleV2(node: GraphNode): tf.Tensor[] {
  const op = 'ParseExampleV2';
  const [serialized, names, sparseKeyTensor, denseKeyTensor, raggedKeyTensor, ...defaults] = node.inputs;
  const sparseKeys = keyList(sparseKeyTensor);
  const denseKeys = keyList(denseKeyTensor);
  const raggedKeys = keyList(raggedKeyTensor);
  const numSparse = attrCount(op, node, 'num_sparse');
  if (numSparse !== sparseKeys.length) {
    throw new FormatError(`${op}: attr num_sparse is ${numSparse} but sparse_keys holds ${sparseKeys.length} keys`);
  }
  // Only checked: tfjs has no int64, so row splits are int32 whichever type the graph asks for.
  attrList(op, node, 'ragged_split_types', raggedKeys.length, isFeatureDType);
  const spec: ExampleParserSpec = {
    sparse: listSpecs(sparseKeys, attrList(op, node, 'sparse_types', sparseKeys.length, isFeatureDType)),
    dense: denseSpecs(op, node, denseKeys, defaults.slice(0, denseKeys.length)),
    ragged: listSpecs(raggedKeys, attrList(op, node, 'ragged_value_types', raggedKeys.length, isFeatureDType)),
  };
  const options = { names: keyList(names), scalar: serialized.rank === 0 };
  return outputTensors(parseExamples(stringValues(serialized), spec, options));
}

function outputTensors(parsed: ParsedExamples): tf.Tensor[] {
  const toTf = (t: FeatureTensor) => tf.tensor(t.values, t.shape, t.dtype);
  return [
    ...parsed.sparse.map((s) => toTf(s.indices)),
    ...parsed.sparse.map((s) => toTf(s.values)),
    ...parsed.sparse.map((s) => toTf(s.denseShape)),
    ...parsed.dense.map(toTf),
    ...parsed.ragged.map((r) => toTf(r.values)),
    ...parsed.ragged.map((r) => toTf(r.rowSplits)),
  ];
}

let registered = false;

/** Registers both ops with tfjs-converter; safe to call more than once. */
export function registerParseExampleOps(): void {
  if (registered) return;
  registerOp('ParseExample', parseExampleV1);
  registerOp('ParseExampleV2', parseExampleV2);
  registered = true;
}
