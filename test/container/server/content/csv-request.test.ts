import { InvalidArgumentError } from '../../../../container/errors';
import { decodeRequest } from '../../../../container/server/content/request';

const csv = (body: string | Buffer, contentType = 'text/csv') =>
  decodeRequest(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType);

function rejectionOf(body: string, contentType = 'text/csv'): string {
  try {
    csv(body, contentType);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected the CSV to be refused');
}

describe('decodeRequest: CSV rows of the spec (B5.4)', () => {
  it.each([
    ['one value', '1.0', '{"instances":[1.0]}'],
    ['a zero', '0.0', '{"instances":[0.0]}'],
    ['one row is one instance', '1.0,2.0,5.0', '{"instances":[[1.0,2.0,5.0]]}'],
    ['two rows, trailing newline', '1.0,2.0,5.0\n1.0,2.0,5.0\n', '{"instances":[[1.0,2.0,5.0],[1.0,2.0,5.0]]}'],
    ['one column gives scalars', '1.0\n2.0\n5.0', '{"instances":[1.0,2.0,5.0]}'],
    ['CRLF', '1.0\r\n2.0\r\n', '{"instances":[1.0,2.0]}'],
    ['blank lines skipped', '\n\n1.0\n\n2.0', '{"instances":[1.0,2.0]}'],
    ['spaces around fields are dropped (the peer kept them inside JSON)', '1.0, 2.0, 5.0', '{"instances":[[1.0,2.0,5.0]]}'],
    ['tfserve fix: strings split on every comma (the peer gave ["a","b,c"])', 'a,b,c', '{"instances":[["a","b","c"]]}'],
    ['quoted strings', '"a","b","c"', '{"instances":[["a","b","c"]]}'],
    ['a single string', 'abc', '{"instances":["abc"]}'],
    ['tfserve fix: true/false columns are booleans (the peer gave strings)', 'true,false', '{"instances":[[true,false]]}'],
    ['tfserve fix: 1,a,b is typed per column (the peer sent invalid JSON)', '1,a,b', '{"instances":[[1,"a","b"]]}'],
    [
      'tfserve fix: England,1,2 is typed per column (the peer took the payload for numbers)',
      'England,1,2',
      '{"instances":[["England",1,2]]}',
    ],
    [
      'tfserve fix: a column with one non-number is strings, the others stay numbers',
      '-1.5,2\nabc,3',
      '{"instances":[["-1.5",2],["abc",3]]}',
    ],
    ['tfserve fix: RFC 4180 quoted commas (the peer sent invalid JSON)', 'a,"b,c",d', '{"instances":[["a","b,c","d"]]}'],
  ])('%s', (_name, body, expected) => {
    expect(csv(body)).toBe(expected);
  });
});

describe('decodeRequest: CSV', () => {
  it('keeps number text: int64 beyond 2^53, 1 versus 1.0, exponents', () => {
    expect(csv('9007199254740993,1,1.0,-2.5E-3\n')).toBe('{"instances":[[9007199254740993,1,1.0,-2.5E-3]]}');
  });

  it('reads quoted quotes, quoted line breaks and non-ASCII text', () => {
    expect(csv('"say ""hi""","two\nlines",café\n')).toBe('{"instances":[["say \\"hi\\"","two\\nlines","café"]]}');
  });

  it('a column that only looks numeric in some rows is strings in every row', () => {
    expect(csv('007\n12')).toBe('{"instances":["007","12"]}');
    expect(csv('1\n1e999')).toBe('{"instances":["1","1e999"]}');
  });

  it('booleans in any case, written as JSON booleans', () => {
    expect(csv('True,1\nFALSE,2')).toBe('{"instances":[[true,1],[false,2]]}');
  });

  it("NaN and infinities, which TF Serving's JSON reads, are numbers", () => {
    expect(csv('NaN\n-Infinity\nInf')).toBe('{"instances":[NaN,-Infinity,Inf]}');
  });

  it('drops a UTF-8 byte-order mark (Excel writes one)', () => {
    expect(csv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]), 'text/csv; header=present')).toBe(
      '{"instances":[{"a":1,"b":2}]}',
    );
  });

  it('header=present: rows become objects keyed by the header, typed per column', () => {
    expect(csv('country,x,"y z"\r\nEngland,1,2.5\r\nFrance,3,4\r\n', 'text/csv; header=present')).toBe(
      '{"instances":[{"country":"England","x":1,"y z":2.5},{"country":"France","x":3,"y z":4}]}',
    );
    expect(csv('x\n1\n2', 'text/csv; header=present')).toBe('{"instances":[{"x":1},{"x":2}]}');
  });

  it('header=absent is the default', () => {
    expect(csv('x\n1', 'text/csv; header=absent')).toBe('{"instances":["x","1"]}');
  });

  it('ragged rows are a 400 naming the row and its line', () => {
    expect(rejectionOf('1,2,3\n\n4,5\n')).toBe('CSV row 2 (line 3) has 2 fields; row 1 has 3');
    expect(rejectionOf('1\n2,3')).toBe('CSV row 2 (line 2) has 2 fields; row 1 has 1');
  });

  it('an empty body is a 400', () => {
    expect(rejectionOf('')).toBe('The CSV body is empty: no rows');
    expect(rejectionOf('\r\n \n')).toBe('The CSV body is empty: no rows');
  });

  it('a header without data rows, a nameless or repeated header column are 400s', () => {
    expect(rejectionOf('a,b\n', 'text/csv; header=present')).toBe('The CSV body has a header row but no data rows');
    expect(rejectionOf('a,,b\n1,2,3', 'text/csv; header=present')).toBe('CSV header column 2 has no name');
    expect(rejectionOf('a,b,a\n1,2,3', 'text/csv; header=present')).toBe('CSV header names column "a" twice');
  });

  it('malformed quoting is a 400 naming the line', () => {
    expect(rejectionOf('1,2\n3,"4\n')).toBe(
      'Malformed CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    );
  });
});
