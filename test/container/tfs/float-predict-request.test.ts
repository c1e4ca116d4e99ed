import type { SignatureInfo } from '../../../container/engine/engine';
import type { DType } from '../../../container/formats/tensor';
import { readFloatPredictRequest } from '../../../container/tfs/float-predict-request';
import { comparable, exactPredict, oneInputSignatures } from '../../support/predict-requests';

/** The fast path's answer for `text`, checked against the general path: the same request, or undefined. */
function fastAgrees(text: string, signatures: Record<string, SignatureInfo>): 'fast' | 'general' {
  const fast = readFloatPredictRequest(Buffer.from(text, 'utf8'), signatures);
  const exact = exactPredict(text, signatures);
  if (fast === undefined) return 'general';
  if (exact instanceof Error) throw new Error(`the fast path read ${JSON.stringify(text)}, which the general path refuses: ${exact.message}`);
  expect(comparable(fast)).toEqual(comparable(exact));
  return 'fast';
}

const float32 = oneInputSignatures('float32', [-1, 2]);

describe('readFloatPredictRequest', () => {
  it.each([
    ['row form', '{"instances": [[1.5, 2], [3, -4.25]]}'],
    ['columnar form', '{"inputs": [[1.5, 2], [3, -4.25]]}'],
    ['a signature name, before or after', '{"signature_name": "other", "instances": [[0.5, 1]]}'],
    ['a signature name after', '{"instances": [[0.5, 1]], "signature_name": "other"}'],
    ['an empty signature name (the default)', '{"signature_name": "", "inputs": [1e-3]}'],
    ['scalars as instances', '{"instances": [1, 2, 3]}'],
    ['whitespace everywhere', ' \n{ "instances" :\t[ [1 , 2 ] ]\r\n}\n '],
    ['integers a float holds exactly', '{"instances": [16777215, -16777215]}'],
    ['floats up to the largest float', '{"instances": [3.4028234663852886e38, -1e-50]}'],
  ])('reads %s exactly as the general path does', (_name, text) => {
    expect(fastAgrees(text, float32)).toBe('fast');
  });

  it('reads double inputs, with integers up to 2^53 - 1', () => {
    const float64 = oneInputSignatures('float64');
    expect(fastAgrees('{"instances": [9007199254740991, 0.1, 1e300]}', float64)).toBe('fast');
    expect(fastAgrees('{"instances": [9007199254740992]}', float64)).toBe('general');
  });

  it.each([
    ['an integer a float cannot hold exactly', '{"instances": [16777216]}'],
    ['a float beyond the float range', '{"instances": [3.5e38]}'],
    ['NaN', '{"instances": [NaN]}'],
    ['both instances and inputs', '{"instances": [1], "inputs": [1]}'],
    ['a repeated key', '{"instances": [1], "instances": [2]}'],
    ['another key', '{"instances": [1], "extra": 1}'],
    ['an unknown signature', '{"signature_name": "nope", "instances": [1]}'],
    ['an escaped signature name', '{"signature_name": "oth\\u0065r", "instances": [1]}'],
    ['named instances', '{"instances": [{"x": [1, 2]}]}'],
    ['a scalar input', '{"inputs": 1.5}'],
    ['a ragged nest', '{"instances": [[1, 2], [3]]}'],
    ['trailing content', '{"instances": [1]} x'],
    ['no request key', '{"signature_name": "other"}'],
    ['an empty object', '{}'],
    ['a list', '[[1, 2]]'],
  ])('leaves %s to the general path', (_name, text) => {
    expect(fastAgrees(text, float32)).toBe('general');
  });

  it.each<[DType]>([['int32'], ['int64'], ['string'], ['bool'], ['float16']])('leaves %s inputs to the general path', (dtype) => {
    expect(fastAgrees('{"instances": [1, 2]}', oneInputSignatures(dtype))).toBe('general');
  });

  it('leaves signatures of several inputs to the general path', () => {
    const two = oneInputSignatures('float32');
    two.serving_default.inputs.z = { ...two.serving_default.inputs.x, name: 'z:0' };
    expect(fastAgrees('{"instances": [1, 2]}', two)).toBe('general');
  });

  it('never reads a mutated request differently from the general path', () => {
    const seed = '{"signature_name":"other","instances":[[1.5,-2e3],[0.25,16777215]]}';
    const alphabet = '[]{},:."-+eE0123456789 \nxNa';
    let fast = 0;
    let state = 7;
    const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 5000; i++) {
      const chars = [...seed];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(chars.length);
        const edit = random(3);
        if (edit === 0) chars.splice(at, 1);
        else if (edit === 1) chars.splice(at, 0, alphabet[random(alphabet.length)]);
        else chars[at] = alphabet[random(alphabet.length)];
      }
      if (fastAgrees(chars.join(''), float32) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(100); // the mutations the fast path does read were checked, not only skipped
  });
});
