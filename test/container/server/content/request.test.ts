import { InvalidArgumentError, UnsupportedMediaTypeError } from '../../../../container/errors';
import { decodeRequest } from '../../../../container/server/content/request';

const decode = (body: string | Buffer, contentType: string | undefined = 'application/json') =>
  decodeRequest(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType);

function rejectionOf(body: string | Buffer, contentType: string | undefined): { status: number; message: string } {
  try {
    decode(body, contentType);
  } catch (error) {
    if (error instanceof InvalidArgumentError || error instanceof UnsupportedMediaTypeError) {
      return { status: error.status, message: error.message };
    }
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('decodeRequest: JSON (spec B5.3)', () => {
  it.each([
    ['a TF Serving request passes unchanged', '{"instances": [1.0, 2.0, 5.0]}', '{"instances": [1.0, 2.0, 5.0]}'],
    ['a list is one instance', '[1.0, 2.0, 5.0]', '{"instances":[[1.0, 2.0, 5.0]]}'],
    [
      'a list of lists is the instances list',
      '[[1.0, 2.0, 5.0], [1.0, 2.0, 5.0]]',
      '{"instances":[[1.0, 2.0, 5.0], [1.0, 2.0, 5.0]]}',
    ],
    [
      'lines of lists are JSON Lines',
      '[1.0, 2.0, 5.0]\n[1.0, 2.0, 5.0]',
      '{"instances":[[1.0, 2.0, 5.0],[1.0, 2.0, 5.0]]}',
    ],
    [
      'lines of objects are JSON Lines',
      '{"x": [1.0, 2.0, 5.0]}\n{"x": [1.0, 2.0, 5.0]}',
      '{"instances":[{"x": [1.0, 2.0, 5.0]},{"x": [1.0, 2.0, 5.0]}]}',
    ],
    ['an object without a TFS key is one instance', '{"x": 1}', '{"instances":[{"x": 1}]}'],
    ['a number is one instance', '5', '{"instances":[5]}'],
    ['a string is one instance', '"abc"', '{"instances":["abc"]}'],
    ['an unknown key is an instance (TFS then names the input)', '{"junk": "data"}', '{"instances":[{"junk": "data"}]}'],
    ['a TFS request is not mangled by "][" inside a string', '{"instances": ["]["]}', '{"instances": ["]["]}'],
    ['inputs (columnar) passes unchanged', '{"inputs": [1, 2]}', '{"inputs": [1, 2]}'],
    ['examples (classify, regress) passes unchanged', '{"examples": [{"x": 1}]}', '{"examples": [{"x": 1}]}'],
    [
      'tfserve fix: a nested "examples" key is not a TFS request (the peer forwarded it unchanged)',
      '{"data": {"examples": 1}}',
      '{"instances":[{"data": {"examples": 1}}]}',
    ],
    [
      'tfserve addition: a list of objects is the instances list (the peer wrapped it into one invalid instance)',
      '[{"x": 1}, {"x": 2}]',
      '{"instances":[{"x": 1}, {"x": 2}]}',
    ],
    ['an empty list is one empty instance, as in the peer', '[]', '{"instances":[[]]}'],
    [
      'a pretty-printed document spanning lines is one document',
      '{\n  "instances": [\n    1,\n    2\n  ]\n}\n',
      '{\n  "instances": [\n    1,\n    2\n  ]\n}',
    ],
    ['CRLF line ends and blank lines between JSON Lines', '[1]\r\n\r\n[2]\r\n', '{"instances":[[1],[2]]}'],
  ])('%s', (_name, body, expected) => {
    expect(decode(body)).toBe(expected);
  });

  it('keeps number literals exactly: int64 beyond 2^53, 1 versus 1.0, exponents', () => {
    expect(decode('[9007199254740993, 1, 1.0, 2.50e+3]')).toBe('{"instances":[[9007199254740993, 1, 1.0, 2.50e+3]]}');
    expect(decode('{"instances": [9007199254740993]}')).toBe('{"instances": [9007199254740993]}');
    expect(decode('9007199254740993\n-9223372036854775808', 'application/jsonlines')).toBe(
      '{"instances":[9007199254740993,-9223372036854775808]}',
    );
  });

  it('reads a body without Content-Type as JSON', () => {
    expect(decode('[1, 2]', undefined)).toBe('{"instances":[[1, 2]]}');
    expect(decode('[1, 2]', '  ')).toBe('{"instances":[[1, 2]]}');
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"x": 1}')]))).toBe('{"instances":[{"x": 1}]}');
  });

  it('tfserve fix: invalid JSON is a 400 naming the error, not a request TF Serving fails on later', () => {
    expect(rejectionOf('whatever', 'application/json')).toEqual({
      status: 400,
      message: 'JSON Parse error: Invalid value. at offset: 0',
    });
  });

  it('tfserve fix: two documents on one line are a 400 (the peer sent {"instances":{"a":1} {"a":2}})', () => {
    expect(rejectionOf('{"a":1} {"a":2}', 'application/json')).toEqual({
      status: 400,
      message: 'JSON Parse error: The document root must not be followed by other values. at offset: 8',
    });
  });

  it('an invalid multi-line document reports the whole-document error when its first line is not JSON', () => {
    expect(rejectionOf('{\n  "x": 1,\n}', 'application/json').message).toBe(
      "JSON Parse error: Missing a name for object member. at offset: 12",
    );
  });

  it('JSON Lines under application/json: a malformed line is named', () => {
    expect(rejectionOf('[1]\n[2]\n\n[3 4]', 'application/json')).toEqual({
      status: 400,
      message: "JSON Lines line 4: JSON Parse error: Missing a comma or ']' after an array element. at offset: 3",
    });
  });

  it('tfserve fix: an empty body is a 400 with TF Serving\'s message (the peer forwarded an undefined body)', () => {
    expect(rejectionOf('', 'application/json')).toEqual({ status: 400, message: 'JSON Parse error: The document is empty' });
  });

  it('a body that is not UTF-8 is a 400', () => {
    expect(rejectionOf(Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]), 'application/json')).toEqual({
      status: 400,
      message: 'The request body is not valid UTF-8',
    });
  });
});

describe('decodeRequest: JSON Lines types', () => {
  it.each([
    'application/jsonlines',
    'application/jsons',
    'application/x-jsonlines',
    'application/json-lines',
    'application/x-ndjson',
    'application/ndjson',
  ])('%s: each non-blank line is one instance', (contentType) => {
    expect(decode('[1.0, 2.0, 5.0]\n\n[1.0, 2.0, 5.0]\n', contentType)).toBe('{"instances":[[1.0, 2.0, 5.0],[1.0, 2.0, 5.0]]}');
  });

  it.each([
    ['a list of lists is the instances list (the peer\'s single-line branch)', '[[1,2],[3,4]]', '{"instances":[[1,2],[3,4]]}'],
    ['a list is one instance', '[1,2,5]\n', '{"instances":[[1,2,5]]}'],
    ['a TF Serving request passes unchanged', '{"instances":[1]}', '{"instances":[1]}'],
    ['an object is one instance', '{"x":1}', '{"instances":[{"x":1}]}'],
  ])('one line, as the peer: %s', (_name, body, expected) => {
    expect(decode(body, 'application/jsonlines')).toBe(expected);
  });

  it('a malformed line is a 400 naming its line number, blank lines counted', () => {
    expect(rejectionOf('{"x":1}\n\n{"x":}\n', 'application/jsonlines')).toEqual({
      status: 400,
      message: 'JSON Lines line 3: JSON Parse error: Invalid value. at offset: 5',
    });
    expect(rejectionOf('{"x":', 'application/x-ndjson').message).toBe(
      'JSON Lines line 1: JSON Parse error: Invalid value. at offset: 5',
    );
  });

  it('tfserve fix: two objects on one line are a 400 (the peer sent invalid JSON on)', () => {
    expect(rejectionOf('{"a":1} {"a":2}\n{"a":3}', 'application/jsonlines').message).toBe(
      'JSON Lines line 1: JSON Parse error: The document root must not be followed by other values. at offset: 8',
    );
  });

  it('a body with no lines is a 400', () => {
    expect(rejectionOf(' \n\r\n', 'application/jsonlines')).toEqual({
      status: 400,
      message: 'The JSON Lines body is empty: no line holds a JSON document',
    });
  });
});

describe('decodeRequest: Content-Type (spec B5.1)', () => {
  it.each([
    'application/json; charset=utf-8',
    'Application/JSON; Charset="UTF-8"',
    'application/json;charset=us-ascii',
    'application/jsonlines; charset=utf-8',
  ])('tfserve fix: parameters are read, not a 415 (%s)', (contentType) => {
    expect(decode('[1]', contentType)).toBe('{"instances":[[1]]}');
  });

  it('CSV with charset and header parameters', () => {
    expect(decode('a\n1\n', 'text/csv; charset=utf-8; header=present')).toBe('{"instances":[{"a":1}]}');
  });

  it.each([
    ['application/x-www-form-urlencoded', 'Unsupported Media Type: application/x-www-form-urlencoded'],
    ['image/png', 'Unsupported Media Type: image/png'],
    ['json', 'Unsupported Media Type: json'],
    ['application/json; charset', 'Unsupported Media Type: application/json; charset'],
    [
      'application/json; charset=latin1',
      'Unsupported Media Type: application/json; charset=latin1 (charset latin1 is not supported; send utf-8)',
    ],
    [
      'text/csv; charset=utf-16',
      'Unsupported Media Type: text/csv; charset=utf-16 (charset utf-16 is not supported; send utf-8)',
    ],
    [
      'text/csv; header=yes',
      'Unsupported Media Type: text/csv; header=yes (header must be present or absent, not yes)',
    ],
  ])('415 for %s', (contentType, message) => {
    expect(rejectionOf('[1]', contentType)).toEqual({ status: 415, message });
  });
});
