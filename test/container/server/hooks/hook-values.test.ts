import { HookError } from '../../../../container/server/hooks/hook-errors';
import { invocationResultOf, modelRequestBytes } from '../../../../container/server/hooks/hook-values';

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));

describe('modelRequestBytes', () => {
  it('serialises objects (bigints exactly) and passes strings and bytes through', () => {
    expect(text(modelRequestBytes({ instances: [1, 2n ** 63n - 1n] }))).toBe('{"instances":[1,9223372036854775807]}');
    expect(text(modelRequestBytes('{"inputs": [1]}'))).toBe('{"inputs": [1]}');
    const bytes = Uint8Array.of(0x7b, 0x7d);
    expect(modelRequestBytes(bytes)).toBe(bytes);
  });

  it.each([[5], [null], [undefined], [[1, 2]], [true]])('is undefined for %p', (value) => {
    expect(modelRequestBytes(value)).toBeUndefined();
  });
});

describe('invocationResultOf', () => {
  it('sends strings and Buffers as they are, objects and arrays as JSON; defaults 200 and application/json', () => {
    expect(invocationResultOf({ body: 'a,b' }, 'handler')).toEqual({ status: 200, body: 'a,b', contentType: 'application/json' });
    expect(invocationResultOf({ body: Buffer.from('x'), contentType: 'text/plain', status: 202 }, 'handler')).toEqual({
      status: 202,
      body: Buffer.from('x'),
      contentType: 'text/plain',
    });
    expect(invocationResultOf({ body: { n: 1n, v: [0.5] } }, 'handler').body).toBe('{"n":1,"v":[0.5]}');
    expect(invocationResultOf({ body: [1, 2], status: 599 }, 'handler')).toEqual({ status: 599, body: '[1,2]', contentType: 'application/json' });
  });

  it('keeps a Uint8Array view as the bytes it shows, without copying', () => {
    const backing = Buffer.from('xxhelloxx');
    const result = invocationResultOf({ body: new Uint8Array(backing.buffer, backing.byteOffset + 2, 5) }, 'handler');
    expect(result.body).toEqual(Buffer.from('hello'));
    expect((result.body as Buffer).buffer).toBe(backing.buffer);
  });

  const expectation = 'outputHandler must return { body, contentType?, status? }';
  it.each([
    [42, `${expectation}, got number 42`],
    ['text', `${expectation}, got string "text"`],
    [undefined, `${expectation}, got undefined`],
    [null, `${expectation}, got null`],
    [Buffer.from('x'), `${expectation}, got a Buffer`],
    [['body', 'text/csv'], `${expectation}, got an array (a Python-style (body, content_type) tuple? return { body, contentType })`],
    [{ body: 'x', content_type: 'text/csv' }, `${expectation}, got the unexpected key content_type`],
    [{}, `${expectation} with body a string, a Buffer or a JSON-serialisable object, got undefined`],
    [{ body: 3 }, `${expectation} with body a string, a Buffer or a JSON-serialisable object, got number 3`],
    [{ body: 'x', contentType: '' }, `${expectation} with contentType a non-empty string, got string ""`],
    [{ body: 'x', contentType: ['text/csv'] }, `${expectation} with contentType a non-empty string, got an array`],
    [{ body: 'x', status: 99 }, `${expectation} with status an integer from 200 to 599, got number 99`],
    [{ body: 'x', status: '200' }, `${expectation} with status an integer from 200 to 599, got string "200"`],
    [{ body: 'x', status: 200.5 }, `${expectation} with status an integer from 200 to 599, got number 200.5`],
  ])('refuses %p with a 500 saying what was expected', (value, message) => {
    expect(() => invocationResultOf(value, 'outputHandler')).toThrow(HookError);
    expect(() => invocationResultOf(value, 'outputHandler')).toThrow(message);
  });

  it('names the hook whose body JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => invocationResultOf({ body: cyclic }, 'handler')).toThrow(/^handler returned a body that is not JSON-serialisable: Converting circular/);
  });
});
