import type { SignatureInfo } from '../../../../container/engine/engine';
import { decodeFloatJson, decodeFloatJsonLines } from '../../../../container/server/content/float-json-request';
import { decodeJson, decodeJsonLines } from '../../../../container/server/content/json-request';
import { comparable, exactPredict, oneInputSignatures } from '../../../support/predict-requests';

const signatures = oneInputSignatures('float32');

/** The fast decoder's answer, checked against the text decoder followed by the general predict path. */
function agrees(text: string, lines: boolean, using: Record<string, SignatureInfo> = signatures): 'fast' | 'general' {
  const fast = (lines ? decodeFloatJsonLines : decodeFloatJson)(Buffer.from(text, 'utf8'), using);
  if (fast === undefined) return 'general';
  const exact = exactPredict((lines ? decodeJsonLines : decodeJson)(text), using);
  if (exact instanceof Error) throw new Error(`the fast path read ${JSON.stringify(text)}, which the general path refuses: ${exact.message}`);
  expect(comparable(fast)).toEqual(comparable(exact));
  return 'fast';
}

describe('decodeFloatJson (application/json)', () => {
  it.each([
    ['a TF Serving request', '{"instances": [[1, 2], [3, 4]]}'],
    ['a list of lists: the instances', '[[1, 2], [3, 4]]'],
    ['a list of numbers: one instance', '[1, 2, 3]'],
    ['an image batch', '[[[[0.5], [0.25]]], [[[1], [2]]]]'],
  ])('reads %s as the text path classifies it', (_name, text) => {
    expect(agrees(text, false)).toBe('fast');
  });

  it.each([
    ['JSON Lines sent as JSON', '[1, 2]\n[3, 4]'],
    ['a number', '1.5'],
    ['a list of objects', '[{"x": 1}]'],
    ['a byte-order mark', '\ufeff[1, 2]'],
  ])('leaves %s to the text path', (_name, text) => {
    expect(agrees(text, false)).toBe('general');
  });
});

describe('decodeFloatJsonLines (the JSON Lines types)', () => {
  it.each([
    ['one list per line', '[1, 2]\n[3, 4]\n'],
    ['blank lines and CRLF', '\n[1, 2]\r\n\r\n  [3, 4]  \n\n'],
    ['lines of nested lists', '[[1], [2]]\n[[3], [4]]'],
    ['one line, read as a JSON body', '[[1, 2], [3, 4]]\n'],
    ['one line holding a request', '{"instances": [1, 2]}'],
  ])('reads %s as the text path classifies it', (_name, text) => {
    expect(agrees(text, true)).toBe('fast');
  });

  it.each([
    ['lines of different shapes', '[1, 2]\n[3]'],
    ['a list split over lines', '[1,\n2]'],
    ['a request over several lines', '{"instances":\n[1, 2]}'],
    ['a line that is not a list', '[1, 2]\n3'],
    ['an empty body', '\n\n'],
    ['a line with a vertical tab', '[1]\n\u000b\n[2]'],
  ])('leaves %s to the text path', (_name, text) => {
    expect(agrees(text, true)).toBe('general');
  });

  it('leaves signatures the fast path does not take to the text path', () => {
    expect(agrees('[1, 2]\n[3, 4]', true, oneInputSignatures('int32'))).toBe('general');
  });
});
