import { InvalidArgumentError } from '../../../container/errors';
import { JsonNumber, parseJson, type JsonValue } from '../../../container/tfs/json-parse';
import { jsonValueToText } from '../../../container/tfs/json-text';

const parse = (text: string) => parseJson(Buffer.from(text, 'utf8'));

function errorOf(body: string | Uint8Array): string {
  try {
    parseJson(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected a parse error');
}

describe('parseJson', () => {
  it('keeps number text, so int64 values stay exact and 1 differs from 1.0', () => {
    const value = parse('[9223372036854775807, 1, 1.0, -2.5e3]') as JsonNumber[];
    expect(value.map((n) => n.text)).toEqual(['9223372036854775807', '1', '1.0', '-2.5e3']);
    expect(value.map((n) => n.isIntegerLiteral)).toEqual([true, true, false, false]);
    expect(value[3].value).toBe(-2500);
  });

  it('reads objects in member order, strings with escapes and non-ASCII text, literals', () => {
    const value = parse(' {"b": "a\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00", "a": [true, false, null], "c": "日本"} ');
    expect(value).toBeInstanceOf(Map);
    const object = value as Map<string, JsonValue>;
    expect([...object.keys()]).toEqual(['b', 'a', 'c']);
    expect(object.get('b')).toBe('a"\\/\né😀');
    expect(object.get('a')).toEqual([true, false, null]);
    expect(object.get('c')).toBe('日本');
  });

  it('accepts NaN and Infinity as TensorFlow Serving does', () => {
    const value = parse('[NaN, Infinity, -Infinity, -Inf]') as JsonNumber[];
    expect(value.map((n) => n.value)).toEqual([NaN, Infinity, -Infinity, -Infinity]);
  });

  it.each([
    ['', 'JSON Parse error: The document is empty'],
    ['   ', 'JSON Parse error: The document is empty. at offset: 3'],
    ['{"instances": [1, 2}', "JSON Parse error: Missing a comma or ']' after an array element. at offset: 19"],
    ['{"a" 1}', 'JSON Parse error: Missing a colon after a name of object member. at offset: 5'],
    ['{"a": 1 "b"}', "JSON Parse error: Missing a comma or '}' after an object member. at offset: 8"],
    ['{1: 2}', 'JSON Parse error: Missing a name for object member. at offset: 1'],
    ['whatever', 'JSON Parse error: Invalid value. at offset: 0'],
    ['[1.]', 'JSON Parse error: Miss fraction part in number. at offset: 3'],
    ['[1e]', 'JSON Parse error: Miss exponent in number. at offset: 3'],
    ['[1e999]', 'JSON Parse error: Number too big to be stored in double. at offset: 1'],
    ['{} {}', 'JSON Parse error: The document root must not be followed by other values. at offset: 3'],
    ['["abc', 'JSON Parse error: Missing a closing quotation mark in string. at offset: 5'],
    ['["\\x"]', 'JSON Parse error: Invalid escape character in string. at offset: 2'],
    ['["\\u12G4"]', 'JSON Parse error: Incorrect hex digit after \\u escape in string. at offset: 4'],
  ])('rejects %j with rapidjson’s message', (body, message) => {
    expect(errorOf(body)).toBe(message);
  });

  it('rejects strings that are not UTF-8', () => {
    expect(errorOf(new Uint8Array([0x22, 0x61, 0xff, 0x22]))).toBe('JSON Parse error: Invalid encoding in string. at offset: 1');
  });

  it('stops at absurd nesting instead of overflowing the stack', () => {
    expect(errorOf('['.repeat(100000))).toBe('JSON Parse error: Nesting deeper than 512 levels. at offset: 513');
  });
});

describe('jsonValueToText', () => {
  it('prints values the way TFS quotes them in error messages', () => {
    expect(jsonValueToText(parse('{"instances": [1, 2.50], "s": "x"}'))).toBe(
      '{\n    "instances": [\n        1,\n        2.5\n    ],\n    "s": "x"\n}',
    );
    expect(jsonValueToText(parse('[1.0, 1e40, []]'))).toBe('[\n    1.0,\n    1e+40,\n    []\n]');
  });
});
