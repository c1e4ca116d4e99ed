import { UnsupportedMediaTypeError } from '../../../../container/errors';
import { negotiateResponseType } from '../../../../container/server/content/accept';
import { encodeResponse } from '../../../../container/server/content/response';

const encode = (body: string, accept: string) => encodeResponse(body, negotiateResponseType(accept));

function refusalOf(body: string, accept: string): string {
  try {
    encode(body, accept);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    return (error as Error).message;
  }
  throw new Error('expected the response to be refused');
}

describe('encodeResponse: JSON', () => {
  it('passes the model response unchanged', () => {
    const body = '{"predictions":[3.5,4.0,5.5]}';
    expect(encode(body, 'application/json')).toEqual({ body, contentType: 'application/json' });
    expect(encode(body, '*/*')).toEqual({ body, contentType: 'application/json' });
  });
});

describe('encodeResponse: JSON Lines', () => {
  it('tfserve fix: one line per prediction, no trailing newline (the peer put the whole document on one line)', () => {
    expect(encode('{"predictions":[3.5,4.0,5.5]}', 'application/jsonlines')).toEqual({
      body: '3.5\n4.0\n5.5',
      contentType: 'application/jsonlines',
    });
  });

  it('lists and objects are written compactly on their line, numbers as the model response wrote them', () => {
    const body = '{"predictions": [[3.5, 4.0], [9007199254740993, -1]]}';
    expect(encode(body, 'application/x-ndjson')).toEqual({
      body: '[3.5,4.0]\n[9007199254740993,-1]',
      contentType: 'application/x-ndjson',
    });
    expect(encode('{"predictions":[{"a":[1.0],"b":"x\\ny"},{"a":[2.0],"b":"z"}]}', 'application/jsonlines').body).toBe(
      '{"a":[1.0],"b":"x\\ny"}\n{"a":[2.0],"b":"z"}',
    );
  });

  it('results (classify, regress) give a line per result', () => {
    expect(encode('{"results":[[["a",0.9],["b",0.1]],[["a",0.2],["b",0.8]]]}', 'application/jsonlines').body).toBe(
      '[["a",0.9],["b",0.1]]\n[["a",0.2],["b",0.8]]',
    );
  });

  it('columnar outputs: a list is split along its first dimension; named outputs are one line', () => {
    expect(encode('{"outputs":[[3.5],[4.0]]}', 'application/jsonlines').body).toBe('[3.5]\n[4.0]');
    expect(encode('{"outputs": {"a": [1, 2], "b": [3.5, 4.5]}}', 'application/jsonlines').body).toBe(
      '{"outputs":{"a":[1,2],"b":[3.5,4.5]}}',
    );
  });

  it('no predictions give an empty body', () => {
    expect(encode('{"predictions":[]}', 'application/jsonlines').body).toBe('');
  });
});

describe('encodeResponse: CSV', () => {
  it('a scalar prediction is a one-field row, a list a row of fields, no trailing newline', () => {
    expect(encode('{"predictions":[3.5,4.0,5.5]}', 'text/csv')).toEqual({ body: '3.5\n4.0\n5.5', contentType: 'text/csv' });
    expect(encode('{"predictions":[[3.5,9007199254740993],[1.0,-2]]}', 'text/csv').body).toBe(
      '3.5,9007199254740993\n1.0,-2',
    );
  });

  it('quotes fields as RFC 4180 requires', () => {
    expect(encode('{"predictions":[["a,b","say \\"hi\\"","two\\nlines","plain",true,null]]}', 'text/csv').body).toBe(
      '"a,b","say ""hi""","two\nlines",plain,true,',
    );
  });

  it('regress results and columnar lists are rows too', () => {
    expect(encode('{"results":[3.5,4.0]}', 'text/csv').body).toBe('3.5\n4.0');
    expect(encode('{"outputs":[[1,2],[3,4]]}', 'text/csv').body).toBe('1,2\n3,4');
  });

  it('lists nested in lists are a 415', () => {
    expect(refusalOf('{"predictions":[[[1,2]],[[3,4]]]}', 'text/csv')).toBe(
      'Unsupported Media Type in Accept: text/csv cannot hold item 0 of predictions, which holds lists nested in lists; ' +
        'ask for application/json or application/jsonlines',
    );
    expect(refusalOf('{"results":[[["a",0.9]]]}', 'text/csv')).toBe(
      'Unsupported Media Type in Accept: text/csv cannot hold item 0 of results, which holds lists nested in lists; ' +
        'ask for application/json or application/jsonlines',
    );
  });

  it('multi-output predictions (objects) are a 415', () => {
    expect(refusalOf('{"predictions":[1,{"a":1,"b":2}]}', 'text/csv')).toBe(
      'Unsupported Media Type in Accept: text/csv cannot hold item 1 of predictions, which holds objects (one value per ' +
        'output); ask for application/json or application/jsonlines',
    );
  });

  it('named columnar outputs are a 415', () => {
    expect(refusalOf('{"outputs":{"a":[1],"b":[2]}}', 'text/csv')).toBe(
      'Unsupported Media Type in Accept: text/csv cannot hold a columnar response keyed by output name (send ' +
        '{"instances": ...} for one row per instance); ask for application/json or application/jsonlines',
    );
  });
});

describe('encodeResponse: errors', () => {
  it.each(['application/jsonlines', 'text/csv', 'application/json'])('an error response stays JSON under Accept %s', (accept) => {
    const body = '{"error":"Servable not found for request: Latest(nope)"}';
    expect(encode(body, accept)).toEqual({ body, contentType: 'application/json' });
  });
});
