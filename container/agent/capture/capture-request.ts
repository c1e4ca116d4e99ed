import { InvalidArgumentError } from '../../errors';
import { USER_MODEL_NAME } from '../../models/model-name';
import type { CaptureDataRequest, WireAuxilaryData, WireDataType, WireEncoding, WireTensor } from '../agent-proto';
import { OutOfRangeError } from '../agent-errors';
import { byteData, checkByteLength, tensorName } from '../tensor-codec';

/**
 * A CaptureDataRequest checked before it is accepted, so that what enters the capture buffer can always be
 * written: a UUID capture id, a valid model name, a timestamp not in the future, tensors whose bytes match their
 * metadata. Each refusal names the field (and the tensor's index and name).
 */

export interface CaptureTensor {
  name: string;
  dataType: WireDataType;
  shape: number[];
  bytes: Uint8Array;
}

export interface CaptureAuxiliary {
  name: string;
  encoding: WireEncoding;
  bytes: Uint8Array;
}

export interface Capture {
  id: string;
  modelName: string;
  /** Seconds and nanoseconds since the epoch, as the client stamped the inference. */
  inferenceTime: { seconds: number; nanos: number };
  inputTensors: CaptureTensor[];
  outputTensors: CaptureTensor[];
  inputs: CaptureAuxiliary[];
  outputs: CaptureAuxiliary[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const isCaptureId = (id: string) => UUID.test(id);

export function checkCaptureId(id: string): string {
  if (!isCaptureId(id)) throw new InvalidArgumentError(`capture_id ${JSON.stringify(id)} is not a UUID (8-4-4-4-12 hex digits)`);
  return id;
}

/** `nowMs`: the agent's clock, against which a timestamp in the future is OUT_OF_RANGE. */
export function parseCapture(request: CaptureDataRequest, nowMs: number): Capture {
  const id = checkCaptureId(request.capture_id);
  if (!USER_MODEL_NAME.test(request.model_name)) {
    throw new InvalidArgumentError(`model_name ${JSON.stringify(request.model_name)} must match ${USER_MODEL_NAME.source}`);
  }
  const capture: Capture = {
    id,
    modelName: request.model_name,
    inferenceTime: checkTimestamp(request.inference_timestamp, nowMs),
    inputTensors: request.input_tensors.map((t, i) => captureTensor(t, `input_tensors[${i}]`)),
    outputTensors: request.output_tensors.map((t, i) => captureTensor(t, `output_tensors[${i}]`)),
    inputs: request.inputs.map((a, i) => auxiliary(a, `inputs[${i}]`)),
    outputs: request.outputs.map((a, i) => auxiliary(a, `outputs[${i}]`)),
  };
  if (capture.inputTensors.length + capture.outputTensors.length + capture.inputs.length + capture.outputs.length === 0) {
    throw new InvalidArgumentError(`capture ${id} holds no tensors and no auxiliary data: nothing to capture`);
  }
  return capture;
}

function checkTimestamp(timestamp: CaptureDataRequest['inference_timestamp'], nowMs: number): Capture['inferenceTime'] {
  if (!timestamp) throw new InvalidArgumentError('inference_timestamp is required');
  const { seconds, nanos } = timestamp;
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= 1e9) {
    throw new InvalidArgumentError(`inference_timestamp.nanos ${nanos} must be from 0 to 999999999`);
  }
  if (seconds < 0) throw new InvalidArgumentError(`inference_timestamp.seconds ${seconds} is before 1970`);
  if (seconds * 1000 + nanos / 1e6 > nowMs) {
    throw new OutOfRangeError(
      `inference_timestamp ${seconds}.${String(nanos).padStart(9, '0')} s is in the future (the agent's clock says ${(nowMs / 1000).toFixed(3)} s)`,
    );
  }
  return { seconds, nanos };
}

function captureTensor(tensor: WireTensor, field: string): CaptureTensor {
  const metadata = tensor.tensor_metadata;
  if (!metadata) throw new InvalidArgumentError(`${field}: tensor_metadata (name, data_type, shape) is required to capture a tensor`);
  const name = tensorName(metadata);
  const what = `${field} '${name}'`;
  const bytes = byteData(tensor, what);
  checkByteLength(what, metadata.data_type, metadata.shape, bytes);
  return { name, dataType: metadata.data_type, shape: [...metadata.shape], bytes };
}

function auxiliary(data: WireAuxilaryData, field: string): CaptureAuxiliary {
  return { name: data.name, encoding: data.encoding, bytes: byteData(data, `${field} '${data.name}'`) };
}
