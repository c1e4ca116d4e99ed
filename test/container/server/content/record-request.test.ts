import type { SignatureInfo } from '../../../../container/engine/engine';
import { FailedPreconditionError, InvalidArgumentError } from '../../../../container/errors';
import { encodeExample, type Example } from '../../../../container/formats/example';
import { frameTfRecord } from '../../../../container/formats/tfrecord';
import { negotiateResponseType, preferredResponseType } from '../../../../container/server/content';
import { parseMediaType } from '../../../../container/server/content/media-type';
import { decodeRecordRequest, type RecordTarget } from '../../../../container/server/content/record-request';
import { predictSignature as signature, tensorSpec as spec } from '../../../support/predict-requests';

/** Record bodies → TF Serving request JSON text, on hand-made signatures (no model needed). */


const signatures: Record<string, SignatureInfo> = {
  serving_default: signature('serving_default', { x: spec('float32', [-1]), ids: spec('int64', [-1, 2]), name: spec('string', [-1]) }),
  examples: signature('examples', { inputs: spec('string', [-1]) }),
  image: signature('image', { pixels: spec('float32', [-1, 2, -1]) }),
  unknown: signature('unknown', { v: spec('float32') }),
  scalar: signature('scalar', { s: spec('float32', []) }),
  flag: signature('flag', { on: spec('bool', [-1]) }),
  wide: signature('wide', { d: spec('float64', [-1]) }),
};

const predict: RecordTarget = { method: 'predict', signatures };
const bytes = (text: string) => new TextEncoder().encode(text);
const float = (...values: number[]) => ({ kind: 'float' as const, values });
const int64 = (...values: bigint[]) => ({ kind: 'int64' as const, values });
const text = (...values: string[]) => ({ kind: 'bytes' as const, values: values.map(bytes) });

const tfexample = (example: Example, type = 'application/x-tfexample', target = predict) =>
  decodeRecordRequest(encodeExample(example), parseMediaType(type)!, target);

const tfrecords = (examples: Example[], type = 'application/x-tfrecord', target = predict) =>
  decodeRecordRequest(Buffer.concat(examples.map((example) => frameTfRecord(encodeExample(example)))), parseMediaType(type)!, target);

describe('predict with dense inputs', () => {
  it('parses each feature into the input of its name, by the input dtype and shape, ignoring other features', () => {
    const request = tfrecords([
      { x: float(1.5), ids: int64(1n, -2n), name: text('a'), extra: float(9) },
      { x: float(4), ids: int64(3n, 9007199254740993n), name: text('b') },
    ]);
    expect(JSON.parse(request.replace(/9007199254740993/, '"big"'))).toEqual({
      signature_name: 'serving_default',
      instances: [
        { x: 1.5, ids: [1, -2], name: { b64: 'YQ==' } },
        { x: 4, ids: [3, 'big'], name: { b64: 'Yg==' } },
      ],
    });
    expect(request).toContain('"x":4.0');
    expect(request).toContain('9007199254740993');
  });

  it('nests values into the per-example shape, inferring one unknown dimension', () => {
    const request = tfexample({ pixels: float(1, 2, 3, 4, 5, 6) }, 'application/x-tfexample; signature_name=image');
    expect(request).toBe('{"signature_name":"image","instances":[{"pixels":[[1.0,2.0,3.0],[4.0,5.0,6.0]]}]}');
  });

  it('makes one value a scalar and several a list when the shape is unknown', () => {
    expect(tfexample({ v: float(2) }, 'application/x-tfexample; signature_name=unknown')).toContain('"instances":[{"v":2.0}]');
    expect(tfexample({ v: float(2, 3) }, 'application/x-tfexample; signature_name=unknown')).toContain('"instances":[{"v":[2.0,3.0]}]');
  });

  it('feeds int64 features to bool and float64 inputs, keeping float literals float', () => {
    expect(tfexample({ on: int64(1n) }, 'application/x-tfexample; signature_name=flag')).toContain('{"on":true}');
    expect(tfexample({ d: int64(7n) }, 'application/x-tfexample; signature_name=wide')).toContain('{"d":7}');
    expect(tfexample({ d: float(Number.NaN) }, 'application/x-tfexample; signature_name=wide')).toContain('{"d":NaN}');
  });

  it.each<[string, Example, string, RegExp]>([
    ['a missing feature', { ids: int64(1n, 2n), name: text('a') }, 'application/x-tfexample', /^example 0: feature "x" is missing; input x \(float\)/],
    ['a wrong kind', { x: text('a'), ids: int64(1n, 2n), name: text('a') }, 'application/x-tfexample', /^example 0: feature "x" is a bytes_list; an input of dtype float cannot take it/],
    ['a wrong count', { x: float(1), ids: int64(1n), name: text('a') }, 'application/x-tfexample', /^example 0: feature "ids" has 1 value, but the input's shape per example is \[2\]/],
    ['a count no unknown dimension fits', { pixels: float(1, 2, 3) }, 'application/x-tfexample; signature_name=image', /feature "pixels" has 3 values/],
    ['a scalar input', { s: float(1) }, 'application/x-tfexample; signature_name=scalar', /feeds a scalar input, which has no batch dimension/],
    ['a bool that is not 0 or 1', { on: int64(2n) }, 'application/x-tfexample; signature_name=flag', /feature "on" holds 2; a bool input takes 0 or 1/],
  ])('answers 400 for %s, naming the example and the feature', (_, example, type, message) => {
    expect(() => tfexample(example, type)).toThrow(InvalidArgumentError);
    expect(() => tfexample(example, type)).toThrow(message);
  });

  it('names the record index and byte offset of a bad example in a TFRecord body', () => {
    const good = { x: float(1), ids: int64(1n, 2n), name: text('a') };
    const first = frameTfRecord(encodeExample(good));
    expect(() => tfrecords([good, { x: float(1), name: text('a') }])).toThrow(
      `example 1 (record at byte offset ${first.length}): feature "ids" is missing`,
    );
  });
});

describe('predict with one DT_STRING input', () => {
  it('sends the serialized examples as they came, base64-encoded', () => {
    const example = encodeExample({ anything: float(1) });
    const body = Buffer.concat([frameTfRecord(example), frameTfRecord(new Uint8Array(0))]);
    const request = decodeRecordRequest(body, parseMediaType('application/x-tfrecord; signature_name=examples')!, predict);
    expect(JSON.parse(request)).toEqual({
      signature_name: 'examples',
      instances: [{ inputs: { b64: Buffer.from(example).toString('base64') } }, { inputs: { b64: '' } }],
    });
  });

  it('passes bytes that are no tf.Example to the model unparsed', () => {
    const request = decodeRecordRequest(bytes('not a proto \xff'), parseMediaType('application/x-tfexample; signature_name=examples')!, predict);
    expect(request).toContain('"instances":[{"inputs":{"b64":');
  });
});

describe('classify and regress', () => {
  it('writes the examples as TF Serving examples, each value of its own kind', () => {
    const target: RecordTarget = { method: 'classify', signatures };
    const request = tfexample({ f: float(1, 0.5), i: int64(-3n), s: text('é') }, 'application/x-tfexample; signature_name="tensorflow/serving/classify"', target);
    expect(request).toBe(
      '{"signature_name":"tensorflow/serving/classify","examples":[{"f":[1.0,0.5],"i":[-3],"s":[{"b64":"w6k="}]}]}',
    );
  });
});

describe('framing and errors', () => {
  it('answers 400 naming the record and byte offset for a bad data CRC', () => {
    const records = [frameTfRecord(bytes('first')), frameTfRecord(bytes('second'))];
    const body = Buffer.concat(records);
    body[records[0].length + 12] ^= 0x01;
    const decode = () => decodeRecordRequest(body, parseMediaType('application/x-tfrecord; signature_name=examples')!, predict);
    expect(decode).toThrow(InvalidArgumentError);
    expect(decode).toThrow(`request body: record 1 at byte offset ${records[0].length}: data CRC check failed`);
  });

  it('refuses an empty TFRecord body and bytes that are no tf.Example for dense inputs', () => {
    expect(() => decodeRecordRequest(new Uint8Array(0), parseMediaType('application/x-tfrecord')!, predict)).toThrow(/holds no TFRecord records/);
    expect(() => decodeRecordRequest(bytes('\xff\xff\xff'), parseMediaType('application/x-tfexample')!, predict)).toThrow(
      /^example 0: not a valid Example protobuf/,
    );
  });

  it('names the signatures when the one asked for does not exist', () => {
    const decode = () => tfexample({}, 'application/x-tfexample; signature_name=nope');
    expect(decode).toThrow(FailedPreconditionError);
    expect(decode).toThrow(/Serving signature key "nope" not found. Name one of serving_default, examples/);
  });
});

describe('response type', () => {
  it('is JSON Lines for record bodies unless the Accept header asks for another', () => {
    const records = preferredResponseType('application/x-tfrecord');
    expect(negotiateResponseType(undefined, records).format).toBe('jsonlines');
    expect(negotiateResponseType('*/*', records).format).toBe('jsonlines');
    expect(negotiateResponseType('application/json', records).format).toBe('json');
    expect(negotiateResponseType('text/csv', records).format).toBe('csv');
    expect(negotiateResponseType('*/*', preferredResponseType('application/json')).format).toBe('json');
    expect(preferredResponseType('application/x-tfexample; signature_name=x').format).toBe('jsonlines');
  });
});
