import type { NamedTensors, Tensor, TensorValues } from '../../formats/tensor';

/**
 * Joining requests along the first (batch) dimension and splitting the answer back. Two requests may share a model
 * run only when their inputs agree in everything but the first dimension: the same keys, dtypes and trailing dims.
 */

/** The rows a request carries, or undefined when it cannot be merged (a scalar input, or inputs of unequal rows). */
export function rowsOf(inputs: NamedTensors): number | undefined {
  const firstDims = Object.values(inputs).map((tensor) => tensor.shape[0]);
  if (firstDims.length === 0 || firstDims.some((rows) => rows === undefined || rows !== firstDims[0])) return undefined;
  return firstDims[0] > 0 ? firstDims[0] : undefined;
}

/** Equal for requests that may be concatenated on one signature. */
export function mergeKey(signatureKey: string, inputs: NamedTensors): string {
  const parts = Object.keys(inputs)
    .sort()
    .map((key) => `${key}:${inputs[key].dtype}[${inputs[key].shape.slice(1).join(',')}]`);
  return JSON.stringify([signatureKey, ...parts]);
}

/** The inputs of several mergeable requests, concatenated along the first dimension in the order given. */
export function concatInputs(requests: NamedTensors[]): NamedTensors {
  const merged: NamedTensors = {};
  for (const key of Object.keys(requests[0])) merged[key] = concatRows(requests.map((inputs) => inputs[key]));
  return merged;
}

function concatRows(tensors: Tensor[]): Tensor {
  const { dtype, shape } = tensors[0];
  const rows = tensors.reduce((sum, tensor) => sum + tensor.shape[0], 0);
  if (dtype === 'string') {
    return { dtype, shape: [rows, ...shape.slice(1)], values: tensors.flatMap((tensor) => tensor.values as Uint8Array[]) };
  }
  const first = tensors[0].values as Exclude<TensorValues, Uint8Array[]>;
  const total = tensors.reduce((sum, tensor) => sum + tensor.values.length, 0);
  const values = new (first.constructor as new (length: number) => typeof first)(total);
  let offset = 0;
  for (const tensor of tensors) {
    (values as { set(source: ArrayLike<unknown>, offset: number): void }).set(tensor.values as ArrayLike<unknown>, offset);
    offset += tensor.values.length;
  }
  return { dtype, shape: [rows, ...shape.slice(1)], values } as Tensor;
}

/** Whether every output has the merged run's rows as its first dimension, so that each request's rows can be cut out. */
export function splittable(outputs: NamedTensors, rows: number): boolean {
  return Object.values(outputs).every((tensor) => tensor.shape[0] === rows);
}

/** Rows [start, end) of every output: one request's own answer out of a merged run. */
export function sliceRows(outputs: NamedTensors, start: number, end: number): NamedTensors {
  const sliced: NamedTensors = {};
  for (const [key, tensor] of Object.entries(outputs)) {
    const rowSize = tensor.shape.slice(1).reduce((n, d) => n * d, 1);
    sliced[key] = {
      dtype: tensor.dtype,
      shape: [end - start, ...tensor.shape.slice(1)],
      values: tensor.values.slice(start * rowSize, end * rowSize),
    } as Tensor;
  }
  return sliced;
}
