import { readNumberNest } from '../../../container/tfs/number-nest';

const read = (text: string) => readNumberNest(Buffer.from(text, 'latin1'), 0);

/** Every number JSON.parse finds, flattened row-major. */
const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [value as number]);

describe('readNumberNest', () => {
  it('reads shape and values as JSON.parse reads them, and where the nest ends', () => {
    const text = '[ [[1, 2.5] , [-0.125,3e2]],\r\n\t[[0,-0],[1E-3, 12.75e+1] ] ] ,';
    const nest = read(text)!;
    expect(nest.shape).toEqual([2, 2, 2]);
    expect(Array.from(nest.values)).toEqual(flat(JSON.parse(text.slice(0, -1))));
    expect(Object.is(nest.values[5], -0)).toBe(true);
    expect(text.slice(nest.end)).toBe(' ,');
  });

  it('reads nests that start at an offset', () => {
    const bytes = Buffer.from('{"instances":[1,2]}', 'latin1');
    expect(readNumberNest(bytes, 13)).toMatchObject({ shape: [2], end: 18 });
  });

  it('gives every literal the double JSON.parse gives it, on the fast path and past it', () => {
    const literals = [
      '0.1', '0.7', '1.1', '123456789012345', '1234567890123456789', '0.30000000000000004', '2.2250738585072014e-308',
      '5e-324', '1.7976931348623157e308', '9007199254740993', '-3.4028234663852886e38', '1e22', '1e23', '123.456e-20',
      '0.000001234', '1.00000000000000000000001', '4.35', '8.589973e9',
    ];
    for (let i = 0; i < 2000; i++) literals.push(String(Math.random() * 10 ** Math.floor(Math.random() * 40 - 20)));
    for (let i = 0; i < 2000; i++) literals.push((Math.random() * 1000).toFixed(Math.floor(Math.random() * 12)));
    const text = `[${literals.join(',')}]`;
    expect(Array.from(read(text)!.values)).toEqual(JSON.parse(text));
  });

  it('tracks the largest integer literal apart from the other literals', () => {
    expect(read('[3, -16777216, 2.0, -5e1]')).toMatchObject({ maxIntegerLiteral: 16777216, maxOtherLiteral: 50 });
  });

  it.each([
    ['an empty list', '[]'],
    ['an empty inner list', '[[1],[]]'],
    ['a ragged nest', '[[1,2],[3]]'],
    ['a number above the leaves', '[[1,2],3]'],
    ['a list among the leaves', '[1,[2]]'],
    ['a string', '["1"]'],
    ['an object', '[{"b64":"AA=="}]'],
    ['a boolean', '[true]'],
    ['null', '[null]'],
    ['NaN', '[NaN]'],
    ['Infinity', '[Infinity]'],
    ['a literal too large for a double', '[1e400]'],
    ['a leading zero', '[01]'],
    ['a bare fraction', '[.5]'],
    ['a trailing point', '[1.]'],
    ['a plus sign', '[+1]'],
    ['an exponent without digits', '[1e]'],
    ['a minus alone', '[-]'],
    ['a trailing comma', '[1,]'],
    ['a missing comma', '[1 2]'],
    ['an unclosed list', '[[1,2]'],
    ['no list at all', '1'],
    ['nesting deeper than tensors go', `${'['.repeat(40)}1${']'.repeat(40)}`],
  ])('answers undefined for %s', (_name, text) => {
    expect(read(text)).toBeUndefined();
  });
});
