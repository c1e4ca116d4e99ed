import { bytesValueJson, exampleJson, float32Json, int64Json } from '../../../transform/records/example-json';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('example JSON', () => {
  it('shows text bytes as strings, including unicode, tabs and newlines', () => {
    expect(bytesValueJson(new TextEncoder().encode('héllo\tworld\n'), 4)).toBe('héllo\tworld\n');
    expect(bytesValueJson(new Uint8Array(0), 4)).toBe('');
  });

  it('shows other bytes as base64 with their length, truncated past maxBytes', () => {
    expect(bytesValueJson(bytes(0x89, 0x50, 0x4e), 4)).toEqual({ base64: 'iVBO', length: 3 });
    expect(bytesValueJson(bytes(0, 1, 2, 3, 4, 5), 3)).toEqual({ base64: 'AAEC', length: 6, truncated: true });
    expect(bytesValueJson(bytes(0x41, 0x00, 0x42), 8)).toEqual({ base64: 'QQBC', length: 3 });
  });

  it('prints float32 values by their shortest decimal', () => {
    expect([0.1, 1.5, -2, 3.4028234663852886e38, 1e-45].map((v) => float32Json(Math.fround(v)))).toEqual([0.1, 1.5, -2, 3.4028235e38, 1e-45]);
    expect([NaN, Infinity, -Infinity].map(float32Json)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('prints int64 as numbers while exact, as strings beyond 2^53', () => {
    expect([0n, -5n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 63n)].map(int64Json)).toEqual([0, -5, 9007199254740991, '9007199254740992', '-9223372036854775808']);
  });

  it('lists features in sorted order by kind', () => {
    const json = exampleJson(
      {
        z: { kind: 'int64', values: [1n] },
        a: { kind: 'float', values: [Math.fround(0.5)] },
        m: { kind: 'bytes', values: [new TextEncoder().encode('x')] },
      },
      64,
    );
    expect(JSON.stringify(json)).toBe('{"a":{"float":[0.5]},"m":{"bytes":["x"]},"z":{"int64":[1]}}');
  });
});
