import { FormatError, InvalidArgumentError } from '../../../container/errors';
import { decodeExample, encodeExample, exampleFromJson, type Example } from '../../../container/formats/example';
import { encodeMessage, protos } from '../../../container/formats/proto';

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeExample / decodeExample', () => {
  // Bytes written by the `tfrecord` npm package's Example builder (batch-transform.md §9.2), entries id, f, s.
  const idEntry = '0a0b0a02696412051a030a0100';
  const fEntry = '0a110a0166120c120a0a080000c03f00002040';
  const sEntry = '0a0f0a0173120a0a080a0668656c6c6f30';
  const example: Example = {
    s: { kind: 'bytes', values: [utf8('hello0')] },
    id: { kind: 'int64', values: [0n] },
    f: { kind: 'float', values: [1.5, 2.5] },
  };

  it('decodes an Example written by another implementation', () => {
    expect(decodeExample(Buffer.from('0a31' + idEntry + fEntry + sEntry, 'hex'))).toEqual(example);
  });

  it('writes the same map entries, in sorted key order', () => {
    expect(hex(encodeExample(example))).toBe('0a31' + fEntry + idEntry + sEntry);
  });

  it('round-trips every kind, with int64 values exact beyond 2^53', () => {
    const example: Example = {
      big: { kind: 'int64', values: [9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n] },
      image: { kind: 'bytes', values: [new Uint8Array([0xff, 0x00, 0xd8]), new Uint8Array(0)] },
      score: { kind: 'float', values: [0.5, -3] },
      none: { kind: 'float', values: [] },
    };
    expect(decodeExample(encodeExample(example))).toEqual(example);
  });

  it('gives equal bytes for equal Examples whatever the key insertion order', () => {
    const a: Example = { b: { kind: 'float', values: [1] }, a: { kind: 'int64', values: [2n] } };
    const b: Example = { a: { kind: 'int64', values: [2n] }, b: { kind: 'float', values: [1] } };
    expect(hex(encodeExample(a))).toBe(hex(encodeExample(b)));
  });

  it('leaves out a feature whose kind is unset, as TensorFlow treats it as absent', () => {
    const bytes = encodeMessage(protos.Example, { features: { feature: { empty: {}, x: { floatList: { value: [2] } } } } });
    expect(decodeExample(bytes)).toEqual({ x: { kind: 'float', values: [2] } });
  });

  it('decodes an empty message as an Example with no features', () => {
    expect(decodeExample(new Uint8Array(0))).toEqual({});
  });

  it('names the input when the bytes are not an Example', () => {
    const truncated = encodeExample({ x: { kind: 'float', values: [1, 2, 3] } }).slice(0, 9);
    expect(() => decodeExample(truncated, 'record 7 of input.tfrecord')).toThrow(FormatError);
    expect(() => decodeExample(truncated, 'record 7 of input.tfrecord')).toThrow(
      /^record 7 of input\.tfrecord: not a valid Example protobuf/,
    );
  });
});

describe('exampleFromJson', () => {
  it('makes int64 from whole numbers and booleans, float when any number has a fraction', () => {
    expect(exampleFromJson({ n: 3, list: [1, 2], flag: true, flags: [false, true], mixed: [1, 2.5] }, 0)).toEqual({
      n: { kind: 'int64', values: [3n] },
      list: { kind: 'int64', values: [1n, 2n] },
      flag: { kind: 'int64', values: [1n] },
      flags: { kind: 'int64', values: [0n, 1n] },
      mixed: { kind: 'float', values: [1, 2.5] },
    });
  });

  it('reads {"x": 1.0} as int64 [1], because JSON.parse cannot keep the literal 1.0', () => {
    expect(exampleFromJson(JSON.parse('{"x": 1.0}'), 0)).toEqual({ x: { kind: 'int64', values: [1n] } });
  });

  it('makes float from numbers beyond the safe integer range', () => {
    expect(exampleFromJson({ x: 1e20 }, 0)).toEqual({ x: { kind: 'float', values: [1e20] } });
  });

  it('makes bytes from strings (UTF-8) and from b64 objects (decoded)', () => {
    expect(exampleFromJson({ word: 'héllo', blob: { b64: 'AP8=' }, both: ['a', { b64: 'Yg==' }] }, 0)).toEqual({
      word: { kind: 'bytes', values: [utf8('héllo')] },
      blob: { kind: 'bytes', values: [new Uint8Array([0x00, 0xff])] },
      both: { kind: 'bytes', values: [utf8('a'), utf8('b')] },
    });
  });

  it('leaves out a feature given as an empty list', () => {
    expect(exampleFromJson({ x: [], y: 1 }, 0)).toEqual({ y: { kind: 'int64', values: [1n] } });
  });

  it.each([
    [{ x: null }, 'Example 2: Feature: x has element with unexpected JSON type: Null'],
    [{ x: [[1]] }, 'Example 2: Feature: x has element with unexpected JSON type: Array'],
    [{ x: { value: 1 } }, 'Example 2: Feature: x has element with unexpected JSON type: Object'],
    [{ x: [1, 'a'] }, 'Example 2: Unexpected element type in feature: x expecting type: int64'],
    [{ x: [1.5, 'a'] }, 'Example 2: Unexpected element type in feature: x expecting type: float'],
    [{ x: ['a', 1] }, 'Example 2: Unexpected element type in feature: x expecting type: bytes'],
    [{ x: { b64: 'not base64!' } }, 'Example 2: JSON Value: {"b64":"not base64!"} Unable to base64 decode'],
    [{ x: [1.5, 1e39] }, 'Example 2: Feature: x: Cannot convert JSON value: 1e+39 to float without loss of precision.'],
    [[1, 2], 'Example 2: Example must be JSON object but got JSON Array'],
  ])('rejects %j naming the example and the feature', (json, message) => {
    expect(() => exampleFromJson(json, 2)).toThrow(InvalidArgumentError);
    expect(() => exampleFromJson(json, 2)).toThrow(message);
  });

  it('names the context when the context is wrong', () => {
    expect(() => exampleFromJson({ x: null }, 'context')).toThrow(
      'Context: Feature: x has element with unexpected JSON type: Null',
    );
  });
});
