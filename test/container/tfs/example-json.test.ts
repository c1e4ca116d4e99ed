import { InvalidArgumentError } from '../../../container/errors';
import { exampleFromJson } from '../../../container/tfs/example-json';
import { parseJson } from '../../../container/tfs/json-parse';

const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (text: string) => parseJson(utf8(text));

describe('exampleFromJson (TF Serving classify/regress examples)', () => {
  it('takes the kind from the literal: integers and booleans are int64, fractions and exponents float', () => {
    expect(exampleFromJson(json('{"n": 3, "list": [1, 2], "flag": true, "flags": [false, true], "x": 1.0, "e": [2e0, 0.5]}'), 0)).toEqual({
      n: { kind: 'int64', values: [3n] },
      list: { kind: 'int64', values: [1n, 2n] },
      flag: { kind: 'int64', values: [1n] },
      flags: { kind: 'int64', values: [0n, 1n] },
      x: { kind: 'float', values: [1] },
      e: { kind: 'float', values: [2, 0.5] },
    });
  });

  it('keeps int64 exact beyond 2^53', () => {
    expect(exampleFromJson(json('{"id": [9007199254740993, -9223372036854775808]}'), 0)).toEqual({
      id: { kind: 'int64', values: [9007199254740993n, -9223372036854775808n] },
    });
  });

  it('makes bytes from strings (UTF-8) and from b64 objects (decoded)', () => {
    expect(exampleFromJson(json('{"word": "héllo", "blob": {"b64": "AP8="}, "both": ["a", {"b64": "Yg=="}]}'), 0)).toEqual({
      word: { kind: 'bytes', values: [utf8('héllo')] },
      blob: { kind: 'bytes', values: [new Uint8Array([0x00, 0xff])] },
      both: { kind: 'bytes', values: [utf8('a'), utf8('b')] },
    });
  });

  it('leaves out a feature given as an empty list', () => {
    expect(exampleFromJson(json('{"x": [], "y": 1}'), 0)).toEqual({ y: { kind: 'int64', values: [1n] } });
  });

  it.each([
    ['{"x": null}', 'Example 2: Feature: x has element with unexpected JSON type: Null'],
    ['{"x": [[1]]}', 'Example 2: Feature: x has element with unexpected JSON type: Array'],
    ['{"x": {"value": 1}}', 'Example 2: Feature: x has element with unexpected JSON type: Object'],
    ['{"x": [1, "a"]}', 'Example 2: Unexpected element type in feature: x expecting type: int64'],
    ['{"x": [1.5, 2]}', 'Example 2: Unexpected element type in feature: x expecting type: float'],
    ['{"x": ["a", 1]}', 'Example 2: Unexpected element type in feature: x expecting type: bytes'],
    ['{"x": {"b64": "not base64!"}}', 'Example 2: Unable to base64 decode'],
    ['{"x": [1.5, 1e39]}', 'Example 2: Cannot convert JSON value: 1e+39 to float without loss of precision.'],
    ['[1, 2]', 'Example 2: Example must be JSON object but got JSON Array'],
  ])('rejects %s naming the example and the feature', (text, message) => {
    expect(() => exampleFromJson(json(text), 2)).toThrow(InvalidArgumentError);
    expect(() => exampleFromJson(json(text), 2)).toThrow(message);
  });

  it('names the context when the context is wrong', () => {
    expect(() => exampleFromJson(json('{"x": null}'), 'context')).toThrow('Context: Feature: x has element with unexpected JSON type: Null');
  });
});
