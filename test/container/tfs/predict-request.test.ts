import { FailedPreconditionError, InvalidArgumentError } from '../../../container/errors';
import { parsePredictRequest } from '../../../container/tfs/predict-request';
import { fakeSignatures } from '../server/fake-model';
import type { SignatureInfo } from '../../../container/engine/engine';

const parse = (body: string, signatures: Record<string, SignatureInfo> = fakeSignatures) =>
  parsePredictRequest(Buffer.from(body, 'utf8'), signatures);

function errorOf(body: string, signatures?: Record<string, SignatureInfo>): Error {
  try {
    parse(body, signatures);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const stringSignature: Record<string, SignatureInfo> = {
  serving_default: {
    key: 'serving_default',
    methodName: 'tensorflow/serving/predict',
    inputs: { text: { name: 'text:0', dtype: 'string', tfDtype: 'DT_STRING' } },
    outputs: {},
  },
};

const typedSignature = (dtype: 'int32' | 'int8' | 'bool' | 'float64' | 'uint64'): Record<string, SignatureInfo> => ({
  serving_default: {
    key: 'serving_default',
    methodName: 'tensorflow/serving/predict',
    inputs: { v: { name: 'v:0', dtype, tfDtype: 'DT_X' } },
    outputs: {},
  },
});

describe('parsePredictRequest, row form', () => {
  it('batches instances along a new first dimension in the declared dtype', () => {
    const request = parse('{"instances": [[1.0], [2], [5.5]]}');
    expect(request.signatureName).toBe('serving_default');
    expect(request.format).toBe('row');
    expect(request.inputs.x.dtype).toBe('float32');
    expect(request.inputs.x.shape).toEqual([3, 1]);
    expect([...(request.inputs.x.values as Float32Array)]).toEqual([1, 2, 5.5]);
  });

  it('reads scalar instances as a rank-1 batch', () => {
    const request = parse('{"instances": [1, 2, 5]}');
    expect(request.inputs.x.shape).toEqual([3]);
  });

  it('reads named inputs from objects, with exact int64 values', () => {
    const request = parse(
      '{"signature_name": "two_inputs", "instances": [{"a": 1.5, "b": 9223372036854775807}, {"b": -3, "a": 2}]}',
    );
    expect(request.signatureName).toBe('two_inputs');
    expect(request.inputs.a.shape).toEqual([2]);
    expect([...(request.inputs.a.values as Float32Array)]).toEqual([1.5, 2]);
    expect(request.inputs.b.dtype).toBe('int64');
    expect([...(request.inputs.b.values as BigInt64Array)]).toEqual([9223372036854775807n, -3n]);
  });

  it('decodes {"b64": ...} and UTF-8 text into string tensors', () => {
    const request = parse('{"instances": [{"b64": "AP8="}, "héllo"]}', stringSignature);
    const values = request.inputs.text.values as Uint8Array[];
    expect(request.inputs.text.shape).toEqual([2]);
    expect([...values[0]]).toEqual([0, 255]);
    expect(Buffer.from(values[1]).toString('utf8')).toBe('héllo');
  });

  it.each([
    ['{"instances": [{"junk": 1}]}', "Failed to process element: 0 key: junk of 'instances' list. Error: Invalid argument: JSON object: does not have named input: junk"],
    ['{"instances": ["]["]}', 'Failed to process element: 0 of \'instances\' list. Error: Invalid argument: JSON Value: "][" Type: String is not of expected type: float'],
    ['{"instances": [[1, 2], [3]]}', "Failed to process element: 1 of 'instances' list. Error: Invalid argument: Expecting tensor size: 2 but got: 1"],
    ['{"instances": [[1, 2], [[3], [4]]]}', "Failed to process element: 1 of 'instances' list. Error: Invalid argument: Expecting shape [2] but got: [2,1]"],
    ['{"instances": [[[1, 2], [3]]]}', "Failed to process element: 0 of 'instances' list. Error: Invalid argument: Encountered list at unexpected size: 1 at level: 1 expected size: 2"],
    ['{"instances": [[1, [2]]]}', "Failed to process element: 0 of 'instances' list. Error: Invalid argument: Encountered list at unexpected level: 1 expected < 1"],
    ['{"instances": [[[1], 2]]}', "Failed to process element: 0 of 'instances' list. Error: Invalid argument: JSON Value: 2 found at incorrect level: 2 in the JSON DOM. Expected at level: 2"],
    ['{"instances": [16777217]}', "Failed to process element: 0 of 'instances' list. Error: Invalid argument: Cannot convert JSON value: 16777217 to float without loss of precision."],
    ['{"instances": [1, {"x": 2}]}', 'Expecting value/list but got object at item 1 of input list'],
    ['{"instances": {"x": 1}}', 'JSON Value: {\n    "instances": {\n        "x": 1\n    }\n} Excepting \'instances\' to be an list/array'],
    ['{"instances": []}', 'JSON Value: {\n    "instances": []\n} No values in \'instances\' array'],
    ['{"instances": [1], "inputs": [1]}', "JSON Value: {\n    \"instances\": [\n        1\n    ],\n    \"inputs\": [\n        1\n    ]\n} Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist "],
    ['{"examples": []}', "Missing 'inputs' or 'instances' key"],
    ['[1, 2]', 'JSON Value: [\n    1,\n    2\n] Is not object'],
    ['', 'JSON Parse error: The document is empty'],
    ['{"signature_name": 1, "instances": [1]}', "JSON Value: {\n    \"signature_name\": 1,\n    \"instances\": [\n        1\n    ]\n} not formatted correctly. 'signature_name' key must be a string value."],
  ])('400 for %j', (body, message) => {
    const error = errorOf(body);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe(message);
  });

  it('asks for objects when the signature has several inputs', () => {
    expect(errorOf('{"signature_name": "two_inputs", "instances": [1]}').message).toBe(
      'instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map',
    );
    expect(errorOf('{"signature_name": "two_inputs", "instances": [{"a": 1}]}').message).toBe(
      "Failed to process element: 0 of 'instances' list. JSON object: {\n    \"a\": 1\n} must only have keys: a,b",
    );
    expect(errorOf('{"signature_name": "two_inputs", "instances": [{"a": 1, "b": 1}, [1]]}').message).toBe(
      'Expecting object but got list at item 1 of input list',
    );
  });

  it('names an unknown signature with TFS’s failed-precondition message', () => {
    const error = errorOf('{"signature_name": "nope", "instances": [1]}');
    expect(error).toBeInstanceOf(FailedPreconditionError);
    expect(error.message).toBe('Serving signature key "nope" not found.');
  });

  it('checks values against the declared dtype', () => {
    const int32 = typedSignature('int32');
    expect([...(parse('{"instances": [1, -2]}', int32).inputs.v.values as Int32Array)]).toEqual([1, -2]);
    expect(errorOf('{"instances": [1.0]}', int32).message).toBe(
      "Failed to process element: 0 of 'instances' list. Error: Invalid argument: JSON Value: 1.0 Type: Number is not of expected type: int32",
    );
    expect(errorOf('{"instances": [128]}', typedSignature('int8')).message).toBe(
      "Failed to process element: 0 of 'instances' list. Error: Invalid argument: JSON Value: 128 Type: Number is not of expected type: int8",
    );
    expect([...(parse('{"instances": [true, false]}', typedSignature('bool')).inputs.v.values as Uint8Array)]).toEqual([1, 0]);
    expect(errorOf('{"instances": [1]}', typedSignature('bool')).message).toBe(
      "Failed to process element: 0 of 'instances' list. Error: Invalid argument: JSON Value: 1 Type: Number is not of expected type: bool",
    );
    expect([...(parse('{"instances": [18446744073709551615]}', typedSignature('uint64')).inputs.v.values as BigUint64Array)]).toEqual([
      18446744073709551615n,
    ]);
    expect([...(parse('{"instances": [0.1, 9007199254740991]}', typedSignature('float64')).inputs.v.values as Float64Array)]).toEqual([
      0.1, 9007199254740991,
    ]);
  });

  it('rejects malformed base64 objects', () => {
    expect(errorOf('{"inputs": [{"b64": 1}]}', stringSignature).message).toBe(
      'JSON Value: {\n    "b64": 1\n} not formatted correctly for base64 data',
    );
    expect(errorOf('{"inputs": {"b64": "***"}}', stringSignature).message).toBe('Unable to base64 decode');
  });
});

describe('parsePredictRequest, columnar form', () => {
  it('reads a single input as the whole tensor', () => {
    const request = parse('{"inputs": [[1], [2]]}');
    expect(request.format).toBe('columnar');
    expect(request.inputs.x.shape).toEqual([2, 1]);
  });

  it('reads a scalar input as a rank-0 tensor', () => {
    const request = parse('{"signature_name": "broken", "inputs": 7}');
    expect(request.inputs.x.shape).toEqual([]);
    expect([...(request.inputs.x.values as Float32Array)]).toEqual([7]);
  });

  it('reads named inputs from an object and ignores extra keys', () => {
    const request = parse('{"signature_name": "two_inputs", "inputs": {"a": [1, 2, 3], "b": [4], "c": 0}}');
    expect(request.inputs.a.shape).toEqual([3]);
    expect(request.inputs.b.shape).toEqual([1]);
    expect(Object.keys(request.inputs).sort()).toEqual(['a', 'b']);
  });

  it.each([
    ['{"signature_name": "two_inputs", "inputs": {"a": [1]}}', "Missing named input: b in 'inputs' object."],
    ['{"signature_name": "two_inputs", "inputs": [1]}', 'inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map'],
    ['{"inputs": [[1, 2], [3]]}', 'Encountered list at unexpected size: 1 at level: 1 expected size: 2'],
  ])('400 for %j', (body, message) => {
    expect(errorOf(body).message).toBe(message);
  });
});
