import { InvalidArgumentError } from '../errors';
import { elementCount, type NamedTensors, type Tensor } from '../formats/tensor';
import { bfloat16ToNumber, float16ToNumber } from '../formats/half-precision';
import { formatFloat32, formatFloat64 } from './float-format';
import type { PredictFormat } from './predict-request';

/**
 * Output tensors → the TensorFlow Serving predict response body (json_tensor.cc MakeJsonFromTensors), written as
 * compact JSON text so that int64 values stay exact and floats print as TFS prints them.
 * Row form: `{"predictions": [...]}`, one item per batch entry (an object keyed by output when there are several).
 * Columnar form: `{"outputs": value}` or `{"outputs": {key: value, ...}}`.
 */

export function formatPredictResponse(outputs: NamedTensors, format: PredictFormat): string {
  const names = Object.keys(outputs).sort();
  if (names.length === 0) throw new InvalidArgumentError('Cannot convert empty tensor map to JSON');
  return format === 'row' ? rowResponse(outputs, names) : columnarResponse(outputs, names);
}

function rowResponse(outputs: NamedTensors, names: string[]): string {
  const batchSize = commonBatchSize(outputs, names);
  const items: string[] = [];
  for (let item = 0; item < batchSize; item++) {
    const itemText = (name: string) => {
      const tensor = outputs[name];
      const itemShape = tensor.shape.slice(1);
      return nestedText(itemShape, item * elementCount(itemShape), elementWriter(name, tensor));
    };
    items.push(names.length === 1 ? itemText(names[0]) : objectText(names, itemText));
  }
  return `{"predictions":[${items.join(',')}]}`;
}

/** Every output must be batched along its first dimension, to one common size. */
function commonBatchSize(outputs: NamedTensors, names: string[]): number {
  let batchSize = 0;
  for (const name of names) {
    const { shape } = outputs[name];
    if (shape.length === 0) throw new InvalidArgumentError(`Tensor name: ${name} has no shape information `);
    if (shape[0] < 1) throw new InvalidArgumentError(`Tensor name: ${name} has invalid batch size: ${shape[0]}`);
    if (batchSize !== 0 && batchSize !== shape[0]) {
      throw new InvalidArgumentError(`Tensor name: ${name} has inconsistent batch size: ${shape[0]} expecting: ${batchSize}`);
    }
    batchSize = shape[0];
  }
  return batchSize;
}

function columnarResponse(outputs: NamedTensors, names: string[]): string {
  const valueText = (name: string) => nestedText(outputs[name].shape, 0, elementWriter(name, outputs[name]));
  return `{"outputs":${names.length === 1 ? valueText(names[0]) : objectText(names, valueText)}}`;
}

function objectText(names: string[], valueText: (name: string) => string): string {
  return `{${names.map((name) => `${JSON.stringify(name)}:${valueText(name)}`).join(',')}}`;
}

function nestedText(shape: number[], base: number, element: (index: number) => string): string {
  if (shape.length === 0) return element(base);
  const [size, ...rest] = shape;
  const step = elementCount(rest);
  const parts: string[] = [];
  for (let i = 0; i < size; i++) parts.push(nestedText(rest, base + i * step, element));
  return `[${parts.join(',')}]`;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function elementWriter(name: string, tensor: Tensor): (index: number) => string {
  switch (tensor.dtype) {
    case 'float32':
      return (i) => formatFloat32((tensor.values as Float32Array)[i]);
    case 'float64':
      return (i) => formatFloat64((tensor.values as Float64Array)[i]);
    case 'float16':
      return (i) => formatFloat32(float16ToNumber((tensor.values as Uint16Array)[i]));
    case 'bfloat16':
      return (i) => formatFloat32(bfloat16ToNumber((tensor.values as Uint16Array)[i]));
    case 'bool':
      return (i) => ((tensor.values as Uint8Array)[i] ? 'true' : 'false');
    case 'string': {
      // TFS writes outputs whose key ends in `_bytes` as base64; bytes that are not UTF-8 would make invalid JSON.
      const asBytes = name.endsWith('_bytes');
      return (i) => stringText((tensor.values as Uint8Array[])[i], asBytes);
    }
    default:
      return (i) => String((tensor.values as ArrayLike<number | bigint>)[i]);
  }
}

function stringText(bytes: Uint8Array, asBytes: boolean): string {
  if (!asBytes) {
    try {
      return JSON.stringify(strictUtf8.decode(bytes));
    } catch {
      // not UTF-8: falls through to base64
    }
  }
  return base64Json(bytes);
}

/** Bytes as TF Serving's JSON writes them (and its reader takes them): `{"b64": "<base64>"}`. */
export function base64Json(bytes: Uint8Array): string {
  return `{"b64":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"}`;
}

