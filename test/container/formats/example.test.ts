import { FormatError, InvalidArgumentError } from '../../../container/errors';
import { decodeExample, encodeExample, type Example } from '../../../container/formats/example';
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
