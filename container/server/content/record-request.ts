import { DEFAULT_SIGNATURE, type SignatureInfo } from '../../engine/engine';
import { FailedPreconditionError, FormatError, InvalidArgumentError } from '../../errors';
import { decodeExample, type Example } from '../../formats/example';
import { RecordFormatError } from '../../formats/record-format-error';
import { splitTfRecords } from '../../formats/tfrecord';
import type { NamedTensors, Tensor } from '../../formats/tensor';
import type { TfsMethod } from '../../tfs/methods';
import { DecodedPredictRequest } from '../../tfs/predict-request';
import type { MediaType } from './media-type';
import { base64Json } from '../../tfs/predict-response';
import { readFloatFeatures } from '../../formats/example-float-features';
import { denseTensor, denseValueJson, featureValueTexts, type DenseFeature, type DenseInput } from './record-dense';

/**
 * Binary record bodies, as SageMaker Batch Transform sends TFRecord input (spec batch-transform §2):
 * `application/x-tfexample` is one serialized tf.Example (SplitType=TFRecord, SingleRecord: framing stripped);
 * `application/x-tfrecord` is whole framed TFRecords (MultiRecord), both CRCs checked. Each record is one example,
 * turned into the TensorFlow Serving request JSON text the model is called with:
 *
 * - predict on a signature whose single input is DT_STRING: the serialized examples themselves, as `{"b64": …}`
 *   instances (what a model exported with a tf.Example serving input receiver parses);
 * - predict on a signature with dense inputs: each example parsed, feature name = input name (record-dense.ts);
 *   features the signature does not take are ignored, a missing one is a 400 naming the example and the feature;
 * - classify and regress: the examples as a TF Serving `examples` list, which TF Serving serializes again.
 *
 * The signature is `serving_default` unless the Content-Type names another with a `signature_name` parameter,
 * e.g. `application/x-tfrecord; signature_name="tensorflow/serving/classify"` (quoted when it holds a `/`).
 */

export const TFEXAMPLE_TYPE = 'application/x-tfexample';
export const TFRECORD_TYPE = 'application/x-tfrecord';
export const RECORD_TYPES: readonly string[] = [TFEXAMPLE_TYPE, TFRECORD_TYPE];

/** What decides how records become a request: the method and the model's signatures. */
export interface RecordTarget {
  method: TfsMethod;
  signatures: Record<string, SignatureInfo>;
}

interface RecordPayload {
  /** Names the example in errors: `example 0`, `example 3 (record at byte offset 120)`. */
  where: string;
  payload: Uint8Array;
}

/**
 * What the model is called with: the tensors, where recordTensors can make them, else the request text. The body
 * is split, and its CRCs checked, once.
 */
export function decodeRecordBody(body: Uint8Array, mediaType: MediaType, target: RecordTarget): string | DecodedPredictRequest {
  const records = recordsOf(body, mediaType);
  return recordTensors(records, mediaType, target) ?? recordText(records, mediaType, target);
}

/** The TF Serving request text, whatever the signature: the general path, and the reference for the tensors. */
export function decodeRecordRequest(body: Uint8Array, mediaType: MediaType, target: RecordTarget): string {
  return recordText(recordsOf(body, mediaType), mediaType, target);
}

function recordText(records: RecordPayload[], mediaType: MediaType, target: RecordTarget): string {
  const signatureName = signatureNameOf(mediaType);
  const head = `{"signature_name":${JSON.stringify(signatureName)}`;
  if (target.method !== 'predict') {
    return `${head},"examples":[${records.map((record) => exampleJson(parse(record))).join(',')}]}`;
  }
  const signature = findSignature(target.signatures, signatureName);
  const inputs = denseInputsOf(signature);
  const serialized = serializedInputOf(inputs);
  const instances = records.map((record) => {
    if (serialized !== undefined) return `{${JSON.stringify(serialized)}:${base64Json(record.payload)}}`;
    const example = parse(record);
    const values = inputs.map((input) => `${JSON.stringify(input.name)}:${denseValueJson(example[input.name], input, record.where)}`);
    return `{${values.join(',')}}`;
  });
  return `${head},"instances":[${instances.join(',')}]}`;
}

/**
 * The same request as recordText's, as the tensors the model runs, for the common cases: serialized examples for a
 * string input, and dense inputs that take float_list features as float or int64_list features as int64. Undefined
 * for anything else and for every error: recordText then decides, with its messages.
 */
function recordTensors(records: RecordPayload[], mediaType: MediaType, target: RecordTarget): DecodedPredictRequest | undefined {
  if (target.method !== 'predict') return undefined;
  const signatureName = signatureNameOf(mediaType);
  if (!Object.hasOwn(target.signatures, signatureName)) return undefined;
  const signature = target.signatures[signatureName];
  const inputs = denseInputsOf(signature);
  const serialized = serializedInputOf(inputs);
  if (serialized !== undefined) {
    const payloads = records.map(({ payload }) => new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength));
    const examples: Tensor = { dtype: 'string', shape: [records.length], values: payloads };
    return new DecodedPredictRequest(signature.key, 'row', { [serialized]: examples });
  }
  const examples = denseFeaturesOf(records, inputs);
  if (examples === undefined) return undefined;
  const tensors: NamedTensors = {};
  for (const input of inputs) {
    const tensor = denseTensor(examples.map((example) => example[input.name]), input);
    if (tensor === undefined) return undefined;
    tensors[input.name] = tensor;
  }
  return new DecodedPredictRequest(signature.key, 'row', tensors);
}

/**
 * Each record's features: for float inputs alone, read straight into Float32Arrays where every record allows
 * (readFloatFeatures), else parsed whole; undefined when a record does not parse.
 */
function denseFeaturesOf(records: RecordPayload[], inputs: DenseInput[]): Record<string, DenseFeature>[] | undefined {
  if (inputs.every((input) => input.spec.dtype === 'float32')) {
    const names = inputs.map((input) => input.name);
    const read = records.map((record) => readFloatFeatures(record.payload, names));
    if (read.every((features) => features !== undefined)) {
      return read.map((features) => Object.fromEntries([...features].map(([name, values]) => [name, { kind: 'float', values }])));
    }
  }
  try {
    return records.map(parse);
  } catch {
    return undefined;
  }
}

function recordsOf(body: Uint8Array, mediaType: MediaType): RecordPayload[] {
  return mediaType.essence === TFRECORD_TYPE ? splitBody(body) : [{ where: 'example 0', payload: body }];
}

function signatureNameOf(mediaType: MediaType): string {
  return mediaType.parameters.get('signature_name') ?? DEFAULT_SIGNATURE;
}

function denseInputsOf(signature: SignatureInfo): DenseInput[] {
  return Object.entries(signature.inputs).map(([name, spec]) => ({ name, spec }));
}

/** The one string input that takes the serialized examples, if that is what the signature has. */
function serializedInputOf(inputs: DenseInput[]): string | undefined {
  return inputs.length === 1 && inputs[0].spec.dtype === 'string' ? inputs[0].name : undefined;
}

/** Every framed record of the body; a broken frame is the client's error (400), naming the record and offset. */
function splitBody(body: Uint8Array): RecordPayload[] {
  let records;
  try {
    records = splitTfRecords(body, 'request body');
  } catch (error) {
    if (error instanceof RecordFormatError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  if (records.length === 0) throw new InvalidArgumentError('request body: an empty body holds no TFRecord records');
  return records.map(({ index, offset, payload }) => ({ where: `example ${index} (record at byte offset ${offset})`, payload }));
}

function parse(record: RecordPayload): Example {
  try {
    return decodeExample(record.payload, record.where);
  } catch (error) {
    if (error instanceof FormatError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function exampleJson(example: Example): string {
  const features = Object.entries(example).map(([name, feature]) => `${JSON.stringify(name)}:[${featureValueTexts(feature).join(',')}]`);
  return `{${features.join(',')}}`;
}

function findSignature(signatures: Record<string, SignatureInfo>, name: string): SignatureInfo {
  if (Object.hasOwn(signatures, name)) return signatures[name];
  throw new FailedPreconditionError(
    `Serving signature key "${name}" not found. Name one of ${Object.keys(signatures).join(', ')} with the ` +
      'signature_name parameter of the Content-Type',
  );
}
