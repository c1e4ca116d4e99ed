import type { SignatureInfo } from '../engine/engine';
import { DEFAULT_SIGNATURE } from '../engine/engine';
import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import { elementCount, zeros, type NamedTensors, type Tensor } from '../formats/tensor';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json-parse';
import { jsonValueToText } from './json-text';
import { isBase64Object, jsonToTensor } from './json-to-tensor';

/**
 * A TensorFlow Serving REST predict request body → the signature to run and its input tensors, following
 * json_tensor.cc FillPredictRequestFromJson: row form (`instances`, batched along a new first dimension) or
 * columnar form (`inputs`), optional `signature_name`, TFS's error strings.
 */

export type PredictFormat = 'row' | 'columnar';

export interface PredictRequest {
  signatureName: string;
  format: PredictFormat;
  inputs: NamedTensors;
}

/**
 * A predict request tfserve has already decoded into tensors (a body of numbers, tf.Example records), handed to the
 * model as is instead of as JSON text to be parsed again. A class, so that it is never mistaken for the request
 * objects user hooks write.
 */
export class DecodedPredictRequest implements PredictRequest {
  constructor(
    readonly signatureName: string,
    readonly format: PredictFormat,
    readonly inputs: NamedTensors,
  ) {}
}

export function parsePredictRequest(body: Uint8Array, signatures: Record<string, SignatureInfo>): PredictRequest {
  const doc = parseJson(body);
  if (doc === null || !isJsonObject(doc)) {
    throw new InvalidArgumentError(`JSON Value: ${jsonValueToText(doc)} Is not object`);
  }
  const signature = findSignature(doc, signatures);
  const inputNames = Object.keys(signature.inputs).sort();
  const instances = doc.get('instances');
  const inputs = doc.get('inputs');
  const docError = (problem: string) => new InvalidArgumentError(`JSON Value: ${jsonValueToText(doc)} ${problem}`);
  if (instances !== undefined && inputs !== undefined) {
    throw docError("Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist ");
  }
  if (instances !== undefined) {
    if (!Array.isArray(instances)) throw docError("Excepting 'instances' to be an list/array");
    if (instances.length === 0) throw docError("No values in 'instances' array");
    return { signatureName: signature.key, format: 'row', inputs: tensorsFromInstances(instances, signature, inputNames) };
  }
  if (inputs !== undefined) {
    return { signatureName: signature.key, format: 'columnar', inputs: tensorsFromInputs(inputs, signature, inputNames) };
  }
  throw new InvalidArgumentError("Missing 'inputs' or 'instances' key");
}

/** The request's `signature_name`, or '' when absent (json_tensor.cc FillSignature). */
export function requestedSignatureName(doc: JsonObject): string {
  const requested = doc.get('signature_name');
  if (requested !== undefined && typeof requested !== 'string') {
    throw new InvalidArgumentError(
      `JSON Value: ${jsonValueToText(doc)} not formatted correctly. 'signature_name' key must be a string value.`,
    );
  }
  return requested ?? '';
}

function findSignature(doc: JsonObject, signatures: Record<string, SignatureInfo>): SignatureInfo {
  const requested = requestedSignatureName(doc);
  const key = requested || DEFAULT_SIGNATURE;
  const signature = Object.hasOwn(signatures, key) ? signatures[key] : undefined;
  if (!signature) throw new FailedPreconditionError(`Serving signature key "${key}" not found.`);
  if (Object.keys(signature.inputs).length === 0) {
    throw new InvalidArgumentError(`Failed to get input map for signature: ${requested || 'DEFAULT'}`);
  }
  return signature;
}

/** Objects that name inputs, as opposed to `{"b64": ...}` values. */
function isNamedInputsObject(value: JsonValue): value is JsonObject {
  return value !== null && isJsonObject(value) && !isBase64Object(value);
}

function tensorsFromInstances(instances: JsonValue[], signature: SignatureInfo, inputNames: string[]): NamedTensors {
  const first = instances[0];
  if ((first === null || !isJsonObject(first)) && inputNames.length > 1) {
    throw new InvalidArgumentError(
      'instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map',
    );
  }
  const elementsAreObjects = isNamedInputsObject(first);
  const rows = new Map<string, Tensor[]>();
  const add = (name: string, value: JsonValue) => {
    if (!Object.hasOwn(signature.inputs, name)) {
      throw new InvalidArgumentError(`JSON object: does not have named input: ${name}`);
    }
    const tensor = jsonToTensor(value, signature.inputs[name].dtype);
    const earlier = rows.get(name);
    if (earlier) {
      checkSameShape(earlier[0], tensor);
      earlier.push(tensor);
    } else {
      rows.set(name, [tensor]);
    }
  };
  instances.forEach((instance, index) => {
    if (elementsAreObjects) {
      if (!isNamedInputsObject(instance)) {
        throw new InvalidArgumentError(`Expecting object but got list at item ${index} of input list`);
      }
      for (const [name, value] of instance) {
        wrapElementError(() => add(name, value), `Failed to process element: ${index} key: ${name} of 'instances' list.`);
      }
      const keys = [...instance.keys()].sort();
      if (keys.join('\0') !== inputNames.join('\0')) {
        throw new InvalidArgumentError(
          `Failed to process element: ${index} of 'instances' list. JSON object: ${jsonValueToText(instance)} must only have keys: ${inputNames.join(',')}`,
        );
      }
    } else {
      if (isNamedInputsObject(instance)) {
        throw new InvalidArgumentError(`Expecting value/list but got object at item ${index} of input list`);
      }
      wrapElementError(() => add(inputNames[0], instance), `Failed to process element: ${index} of 'instances' list.`);
    }
  });
  return Object.fromEntries([...rows].map(([name, tensors]) => [name, stack(tensors)]));
}

function wrapElementError(step: () => void, context: string): void {
  try {
    step();
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new InvalidArgumentError(`${context} Error: Invalid argument: ${error.message}`);
    }
    throw error;
  }
}

function checkSameShape(expected: Tensor, actual: Tensor): void {
  const expectedSize = elementCount(expected.shape);
  const actualSize = elementCount(actual.shape);
  if (expectedSize !== actualSize) {
    throw new InvalidArgumentError(`Expecting tensor size: ${expectedSize} but got: ${actualSize}`);
  }
  if (expected.shape.join(',') !== actual.shape.join(',')) {
    throw new InvalidArgumentError(`Expecting shape [${expected.shape.join(',')}] but got: [${actual.shape.join(',')}]`);
  }
}

/** Instances of equal shape → one tensor with the batch as its first dimension. */
function stack(tensors: Tensor[]): Tensor {
  const [first] = tensors;
  const batched = zeros(first.dtype, [tensors.length, ...first.shape]);
  const size = elementCount(first.shape);
  tensors.forEach((tensor, index) => {
    const offset = index * size;
    if (Array.isArray(batched.values)) {
      (tensor.values as Uint8Array[]).forEach((bytes, i) => ((batched.values as Uint8Array[])[offset + i] = bytes));
    } else {
      // every fixed-width values array is a typed array of the same kind; Float64Array stands in for all of them
      (batched.values as Float64Array).set(tensor.values as Float64Array, offset);
    }
  });
  return batched;
}

function tensorsFromInputs(inputs: JsonValue, signature: SignatureInfo, inputNames: string[]): NamedTensors {
  if (!isNamedInputsObject(inputs)) {
    if (inputNames.length > 1) {
      throw new InvalidArgumentError(
        'inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map',
      );
    }
    const [name] = inputNames;
    return { [name]: jsonToTensor(inputs, signature.inputs[name].dtype) };
  }
  const tensors: NamedTensors = {};
  for (const name of inputNames) {
    const value = inputs.get(name);
    if (value === undefined) throw new InvalidArgumentError(`Missing named input: ${name} in 'inputs' object.`);
    tensors[name] = jsonToTensor(value, signature.inputs[name].dtype);
  }
  return tensors;
}
