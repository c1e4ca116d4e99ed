import { toJsonText } from '../../../../container/server/hooks/json-text';

describe('toJsonText', () => {
  it('writes what JSON.stringify writes for plain values', () => {
    const value = { instances: [1, 2.5, -0.125], signature_name: 'serving_default', nested: { a: [true, null, 'x"y'] } };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
  });

  it('writes bigint values exactly, wherever they are', () => {
    expect(toJsonText({ instances: [9007199254740993n, -9223372036854775808n], n: { m: 0n } })).toBe(
      '{"instances":[9007199254740993,-9223372036854775808],"n":{"m":0}}',
    );
  });

  it('leaves strings that look like its bigint marker alone', () => {
    expect(toJsonText({ s: 'bigint-1:2', b: 1n })).toBe('{"s":"bigint-1:2","b":1}');
  });

  it('writes typed arrays as arrays, int64 ones exactly; a Buffer keeps its own JSON form', () => {
    expect(toJsonText({ f: Float32Array.of(0.5, 2), i: BigInt64Array.of(2n ** 62n), u: Uint8Array.of(7) })).toBe(
      '{"f":[0.5,2],"i":[4611686018427387904],"u":[7]}',
    );
    expect(toJsonText({ b: Buffer.from('hi') })).toBe('{"b":{"type":"Buffer","data":[104,105]}}');
  });

  it('throws JSON.stringify errors (cycles)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toJsonText(cyclic)).toThrow(/circular/);
  });
});
