import { InvalidArgumentError } from '../errors';
import { BYTES_PER_ELEMENT, elementCount, tensorFromBytes, tensorToBytes, type DType, type NamedTensors } from '../formats/tensor';
import type { WireDataType, WireTensor, WireTensorMetadata } from './agent-proto';
import { UnimplementedError } from './agent-errors';
import { dtypeOf, wireTypeOf, type AgentTensorSpec } from './tensor-metadata';

/**
 * Edge tensors ↔ the project's tensors. `byte_data` is the little-endian, row-major bytes of the values (numpy's
 * `tobytes()` on x86 and ARM, as the reference clients send them); shape and dtype come from `tensor_metadata`.
 * Every refusal names the tensor, what was expected and what arrived.
 */

const UTF8 = new TextDecoder();

export function tensorName(metadata: WireTensorMetadata | null | undefined): string {
  return metadata ? UTF8.decode(metadata.name) : '';
}

/** The tensor's bytes; a shared-memory handle is refused (no maintained SysV shared-memory package for Node). */
export function byteData(tensor: { byte_data?: Uint8Array; data?: string }, what: string): Uint8Array {
  if (tensor.data === 'shared_memory_handle') {
    throw new UnimplementedError(
      `${what}: shared_memory_handle is not supported by tfserve agent; send the tensor as byte_data (little-endian, row-major)`,
    );
  }
  return tensor.byte_data ?? new Uint8Array(0);
}

const shapeText = (shape: readonly number[] | undefined) => (shape === undefined ? '[unknown rank]' : `[${shape.join(', ')}]`);

/** Checks that `bytes` holds exactly the values of `shape`; names the tensor and both sizes otherwise. */
export function checkByteLength(what: string, dataType: WireDataType, shape: number[], bytes: Uint8Array): void {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new InvalidArgumentError(`${what}: shape ${shapeText(shape)} has a negative dimension`);
  }
  const needed = elementCount(shape) * BYTES_PER_ELEMENT[dtypeOf(dataType) as Exclude<DType, 'string'>];
  if (bytes.length !== needed) {
    throw new InvalidArgumentError(`${what}: ${dataType} ${shapeText(shape)} needs ${needed} bytes of byte_data, got ${bytes.length}`);
  }
}

/** Predict's tensors as the signature's inputs: matched by metadata name (key or graph tensor), else by position. */
export function decodePredictInputs(model: string, tensors: WireTensor[], inputs: AgentTensorSpec[]): NamedTensors {
  const expected = inputs.map((input) => input.key).join(', ');
  if (tensors.length !== inputs.length) {
    throw new InvalidArgumentError(`model ${model} takes ${inputs.length} input tensor(s) (${expected}), got ${tensors.length}`);
  }
  const decoded: NamedTensors = {};
  tensors.forEach((tensor, index) => {
    const name = tensorName(tensor.tensor_metadata);
    const input = name === '' ? inputs[index] : inputs.find((i) => i.key === name || i.spec.name === name);
    if (!input) throw new InvalidArgumentError(`model ${model} has no input tensor named '${name}' (its inputs: ${expected})`);
    if (input.key in decoded) throw new InvalidArgumentError(`model ${model}: input tensor '${input.key}' is given twice`);
    decoded[input.key] = decodeInput(tensor, input);
  });
  return decoded;
}

function decodeInput(tensor: WireTensor, input: AgentTensorSpec): NamedTensors[string] {
  const what = `input tensor '${input.key}'`;
  const declared = input.spec.shape;
  const metadata = tensor.tensor_metadata;
  const dataType = metadata?.data_type ?? input.dataType;
  const shape = metadata ? metadata.shape : declared;
  const expected = `${input.dataType} ${shapeText(declared)}`;
  if (shape === undefined || (!metadata && shape.includes(-1))) {
    throw new InvalidArgumentError(`${what}: expected ${expected}, which leaves the shape open: send tensor_metadata with the shape`);
  }
  if (dataType !== input.dataType || !shapeMatches(declared, shape)) {
    throw new InvalidArgumentError(`${what}: expected ${expected}, got ${dataType} ${shapeText(shape)}`);
  }
  const bytes = byteData(tensor, what);
  checkByteLength(what, dataType, shape, bytes);
  return tensorFromBytes(dtypeOf(dataType) as Exclude<DType, 'string'>, [...shape], bytes);
}

/** -1 in the declared shape matches any size; an unknown rank matches any shape. */
function shapeMatches(declared: number[] | undefined, actual: number[]): boolean {
  if (declared === undefined) return true;
  return declared.length === actual.length && declared.every((d, i) => d === -1 || d === actual[i]);
}

/** Every output of the signature, in key order, as byte_data with its actual shape. */
export function encodeOutputs(outputs: NamedTensors, specs: AgentTensorSpec[]): WireTensor[] {
  return specs.map(({ key }) => {
    const tensor = outputs[key];
    const dataType = wireTypeOf(tensor.dtype);
    if (dataType === undefined) throw new Error(`output '${key}' came back as ${tensor.dtype}, which the Edge API cannot carry`);
    return { tensor_metadata: { name: Buffer.from(key), data_type: dataType, shape: tensor.shape }, byte_data: tensorToBytes(tensor) };
  });
}
