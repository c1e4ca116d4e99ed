import { isArrayBuffer } from 'node:util/types';
import type { EngineName, SignatureInfo } from '../../engine/engine';
import type { EngineDecision } from '../../engine/select-engine';
import * as errorClasses from '../../errors';
import type { DType, NamedTensors, Tensor, TensorValues } from '../../formats/tensor';

/**
 * The messages between the worker pool (main thread) and its inference workers, and how tensors and errors cross.
 * Numeric tensors travel as transferred ArrayBuffers; string tensors as one buffer of concatenated bytes plus the
 * end offset of each string, so ten thousand tf.Examples cost one transfer, not ten thousand.
 */

export interface WorkerData {
  /** A module exporting `loadModel(dir, options)`; default: the engine TFSERVE_ENGINE selects. */
  loaderModule?: string;
}

export type ToWorker =
  | { type: 'load'; id: number; modelId: number; dir: string }
  | { type: 'run'; id: number; modelId: number; signature: string; inputs: PackedTensors }
  | { type: 'dispose'; modelId: number };

export interface LoadedModelInfo {
  engine: EngineName;
  tags: string[];
  signatures: Record<string, SignatureInfo>;
}

export type FromWorker =
  /** `engine`: which engine the default loader picked and why (absent with a loader module). */
  | { type: 'ready'; engine?: EngineDecision }
  | { type: 'loaded'; id: number; info: LoadedModelInfo }
  | { type: 'result'; id: number; outputs: PackedTensors }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'log'; message: string };

type PackedValues = Exclude<TensorValues, Uint8Array[]> | { bytes: Uint8Array; ends: Uint32Array };

export interface PackedTensor {
  dtype: DType;
  shape: number[];
  values: PackedValues;
}

export type PackedTensors = Record<string, PackedTensor>;

export interface Packed {
  tensors: PackedTensors;
  transfer: ArrayBuffer[];
}

/**
 * Tensors ready to post. With `copy` (the caller keeps its tensors), every buffer is a fresh copy of exactly the
 * tensor's bytes; without it, a typed array that owns its whole buffer is handed over as is. Posting a view would
 * clone its entire underlying buffer, which may be a much larger request body.
 */
export function packTensors(tensors: NamedTensors, copy: boolean): Packed {
  const transfer: ArrayBuffer[] = [];
  const packed: PackedTensors = {};
  for (const [key, tensor] of Object.entries(tensors)) {
    const values =
      tensor.dtype === 'string'
        ? packStrings(tensor.values as Uint8Array[])
        : ownBuffer(tensor.values as Exclude<TensorValues, Uint8Array[]>, copy);
    packed[key] = { dtype: tensor.dtype, shape: tensor.shape, values };
    if ('bytes' in values) transfer.push(values.bytes.buffer as ArrayBuffer, values.ends.buffer as ArrayBuffer);
    else transfer.push(values.buffer as ArrayBuffer);
  }
  return { tensors: packed, transfer };
}

export function unpackTensors(packed: PackedTensors): NamedTensors {
  const tensors: NamedTensors = {};
  for (const [key, { dtype, shape, values }] of Object.entries(packed)) {
    tensors[key] = { dtype, shape, values: 'bytes' in values ? unpackStrings(values) : values } as Tensor;
  }
  return tensors;
}

function ownBuffer<T extends Exclude<TensorValues, Uint8Array[]>>(values: T, copy: boolean): T {
  // a SharedArrayBuffer cannot move, and a view's buffer holds more than the tensor
  const whole = isArrayBuffer(values.buffer) && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
  return copy || !whole ? (values.slice() as T) : values;
}

function packStrings(strings: Uint8Array[]): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(strings.length);
  let end = 0;
  strings.forEach((s, i) => (ends[i] = end += s.length));
  const bytes = new Uint8Array(end);
  strings.forEach((s, i) => bytes.set(s, i === 0 ? 0 : ends[i - 1]));
  return { bytes, ends };
}

function unpackStrings({ bytes, ends }: { bytes: Uint8Array; ends: Uint32Array }): Uint8Array[] {
  return Array.from(ends, (end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
}

export interface SerializedError {
  /** The class name, e.g. `InvalidArgumentError`. */
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.constructor.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

type ErrorClass = new (message: string) => Error;

/** Every class exported by container/errors.ts, so an error keeps its class (and status) across threads. */
const knownClasses = new Map<string, ErrorClass>(
  Object.entries(errorClasses as Record<string, unknown>).filter(
    (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  ),
);

export function deserializeError(serialized: SerializedError): Error {
  const ErrorClass = knownClasses.get(serialized.name) ?? Error;
  const error = new ErrorClass(serialized.message);
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

/**
 * Posts messages to the other thread in batches: whatever is sent during one turn of the event loop goes as one
 * array in one postMessage. Under load that turns many wake-ups of the other thread (each a context switch when
 * both threads share a core) into one.
 */
export class BatchedSender<T> {
  private messages: T[] = [];
  private transfer: ArrayBuffer[] = [];

  constructor(private readonly port: { postMessage(value: T[], transfer: ArrayBuffer[]): void }) {}

  send(message: T, transfer: ArrayBuffer[] = []): void {
    if (this.messages.length === 0) setImmediate(() => this.flush());
    this.messages.push(message);
    this.transfer.push(...transfer);
  }

  private flush(): void {
    const { messages, transfer } = this;
    this.messages = [];
    this.transfer = [];
    this.port.postMessage(messages, transfer);
  }
}
