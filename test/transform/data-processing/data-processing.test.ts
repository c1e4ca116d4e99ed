import { applyInputFilter, joinAndFilterOutput } from '../../../transform/data-processing/data-processing';
import { DataProcessingError } from '../../../transform/data-processing/data-processing-error';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

const CSV = { contentType: 'text/csv', accept: 'text/csv' };
const JSONL = { contentType: 'application/jsonlines', accept: 'application/jsonlines' };
const JSON_TYPES = { contentType: 'application/json', accept: 'application/json' };

function failure(run: () => unknown): DataProcessingError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataProcessingError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('applyInputFilter', () => {
  it('passes the very same bytes through with $, whatever the content type', () => {
    const record = bytes('\x00not json\n');
    expect(applyInputFilter(record, 'application/x-tfexample', '$')).toBe(record);
  });

  describe('CSV rows are JSON arrays of their cells', () => {
    it('$[1:] drops an ID column and keeps the line ending (the guide example)', () => {
      expect(text(applyInputFilter(bytes('id-17,1.50,2,3,4\n'), 'text/csv', '$[1:]'))).toBe('1.50,2,3,4\n');
    });

    it('$[1:4] keeps the second through fifth columns', () => {
      expect(text(applyInputFilter(bytes('a,b,c,d,e,f'), 'text/csv', '$[1:4]'))).toBe('b,c,d,e');
    });

    it('keeps quoting where a cell needs it, and cell text exactly', () => {
      const row = 'id,"x, y","say ""hi""", 007 \r\n';
      expect(text(applyInputFilter(bytes(row), 'text/csv; charset=utf-8', '$[1:]'))).toBe('"x, y","say ""hi""", 007 \r\n');
    });

    it('one index gives a one-column row; a list keeps its order', () => {
      expect(text(applyInputFilter(bytes('a,b,c\n'), 'text/csv', '$[-1]'))).toBe('c\n');
      expect(text(applyInputFilter(bytes('a,b,c\n'), 'text/csv', '$[2,0]'))).toBe('c,a\n');
    });

    it('filters each line of a record holding several (a MultiRecord mini-batch)', () => {
      expect(text(applyInputFilter(bytes('1,a,b\n2,c,d\n'), 'text/csv', '$[1:]'))).toBe('a,b\nc,d\n');
    });

    it('an index past the row is an error naming the filter, path and offset', () => {
      const error = failure(() => applyInputFilter(bytes('a,b\n'), 'text/csv', '$[5]'));
      expect(error.message).toBe(
        'DataProcessing.InputFilter: JSONPath "$[5]" at offset 2: index 5 is outside the array of 2 (valid indexes are 0..1 or -2..-1)',
      );
      expect(error.status).toBe(400);
    });

    it('malformed CSV is an error', () => {
      expect(failure(() => applyInputFilter(bytes('a,"b\n'), 'text/csv', '$[0]')).message).toContain(
        'the input record is not valid CSV (RFC 4180)',
      );
    });
  });

  describe('JSON and JSON Lines', () => {
    it('$.features sends just the features (the guide example)', () => {
      const record = bytes('{"id":"r1","features":[0.5,1.5]}\n');
      expect(text(applyInputFilter(record, 'application/jsonlines', '$.features'))).toBe('[0.5,1.5]\n');
    });

    it('reads a pretty-printed JSON document as one value', () => {
      const record = bytes('{\n  "id": 1,\n  "x": {"y": [1, 2]}\n}');
      expect(text(applyInputFilter(record, 'application/json', '$.x.y[-1]'))).toBe('2');
    });

    it('filters each value of a record holding several JSON lines', () => {
      const record = bytes('{"a":1,"b":"}"}\n{"a":2,"b":"x"}\n');
      expect(text(applyInputFilter(record, 'application/jsonlines', "$['b','a']"))).toBe('{"b":"}","a":1}\n{"b":"x","a":2}\n');
    });

    it('an array input with a slice', () => {
      expect(text(applyInputFilter(bytes('[1,2,3,4]'), 'application/json', '$[1:]'))).toBe('[2,3,4]');
    });

    it('a missing key is an error naming it', () => {
      const error = failure(() => applyInputFilter(bytes('{"id":1}'), 'application/json', '$.features'));
      expect(error.message).toContain('DataProcessing.InputFilter: JSONPath "$.features" at offset 1: the object has no "features"');
    });

    it('text that is not JSON is an error naming where', () => {
      const error = failure(() => applyInputFilter(bytes('{"a":1}\n{"a":'), 'application/jsonlines', '$.a'));
      expect(error.message).toContain('the input record is not JSON: the value at character 8 (line 2) does not parse');
    });

    it('bytes that are not UTF-8 are an error', () => {
      const error = failure(() => applyInputFilter(new Uint8Array([0x7b, 0xff, 0x7d]), 'application/json', '$.a'));
      expect(error.message).toContain('the input record is not UTF-8 text');
    });
  });

  it('leaves a blank record blank', () => {
    expect(text(applyInputFilter(bytes('\n'), 'text/csv', '$[1:]'))).toBe('\n');
    expect(text(applyInputFilter(bytes(''), 'application/jsonlines', '$.a'))).toBe('');
  });

  it('refuses a content type DataProcessing does not read', () => {
    const error = failure(() => applyInputFilter(bytes('x'), 'application/x-tfexample', '$[1:]'));
    expect(error.message).toContain('TransformInput.ContentType is "application/x-tfexample"; DataProcessing works only on');
  });

  it('refuses a filter that does not parse, naming the field', () => {
    expect(failure(() => applyInputFilter(bytes('a'), 'text/csv', '$[1:')).message).toContain(
      'DataProcessing.InputFilter: JSONPath "$[1:" at offset 1: "[" is never closed',
    );
  });
});

describe('joinAndFilterOutput', () => {
  it('passes the response through untouched with JoinSource None and OutputFilter $', () => {
    const response = bytes('whatever\n');
    expect(joinAndFilterOutput(bytes('in'), response, { contentType: undefined, accept: undefined }, 'None', '$')).toBe(response);
  });

  describe('CSV: input columns, then output columns', () => {
    it('the guide example: [1,2,3] joined with [1] is 1,2,3,1', () => {
      expect(text(joinAndFilterOutput(bytes('1,2,3\n'), bytes('1\n'), CSV, 'Input', '$'))).toBe('1,2,3,1');
    });

    it('joins the ORIGINAL input, so an ID dropped by InputFilter comes back; $[0,-1] keeps ID and prediction', () => {
      const original = bytes('id-17,5.1,3.5,1.4,0.2\n');
      expect(text(applyInputFilter(original, 'text/csv', '$[1:]'))).toBe('5.1,3.5,1.4,0.2\n');
      expect(text(joinAndFilterOutput(original, bytes('0.93\n'), CSV, 'Input', '$'))).toBe('id-17,5.1,3.5,1.4,0.2,0.93');
      expect(text(joinAndFilterOutput(original, bytes('0.93\n'), CSV, 'Input', '$[0,-1]'))).toBe('id-17,0.93');
    });

    it('$[0,5:] on the joined row (the API example)', () => {
      const joined = joinAndFilterOutput(bytes('a,b,c,d,e\n'), bytes('p,q\n'), CSV, 'Input', '$[0,5:]');
      expect(text(joined)).toBe('a,p,q');
    });

    it('a JSON response joins as its array elements, or as one column', () => {
      const types = { contentType: 'text/csv', accept: 'application/json' };
      expect(text(joinAndFilterOutput(bytes('a,b'), bytes('[0.1,0.9]'), types, 'Input', '$'))).toBe('a,b,0.1,0.9');
      expect(text(joinAndFilterOutput(bytes('a,b'), bytes('{"p":[1,2]}'), types, 'Input', '$'))).toBe('a,b,"{""p"":[1,2]}"');
    });

    it('pairs the lines of a mini-batch with the lines of its response', () => {
      const joined = joinAndFilterOutput(bytes('1,a\n2,b\n3,c\n'), bytes('x\ny\nz\n'), CSV, 'Input', '$[0,-1]');
      expect(text(joined)).toBe('1,x\n2,y\n3,z');
    });

    it('an OutputFilter index past the joined row is an error', () => {
      const error = failure(() => joinAndFilterOutput(bytes('a,b\n'), bytes('1\n'), CSV, 'Input', '$[0,3]'));
      expect(error.message).toContain('DataProcessing.OutputFilter: JSONPath "$[0,3]" at offset 4: index 3 is outside the array of 3');
    });
  });

  describe('JSON: SageMakerOutput', () => {
    it('the guide example: {"key":1} and {"label":1} give {"key":1,"SageMakerOutput":{"label":1}}', () => {
      const joined = joinAndFilterOutput(bytes('{"key":1}\n'), bytes('{"label":1}\n'), JSONL, 'Input', '$');
      expect(JSON.parse(text(joined))).toEqual({ key: 1, SageMakerOutput: { label: 1 } });
    });

    it("a non-object input is wrapped: {SageMakerInput, SageMakerOutput}", () => {
      expect(text(joinAndFilterOutput(bytes('[1,2]'), bytes('3'), JSON_TYPES, 'Input', '$'))).toBe(
        '{"SageMakerInput":[1,2],"SageMakerOutput":3}',
      );
      expect(text(joinAndFilterOutput(bytes('"s"'), bytes('null'), JSON_TYPES, 'Input', '$'))).toBe(
        '{"SageMakerInput":"s","SageMakerOutput":null}',
      );
    });

    it("the guide's JSON example: InputFilter $.features, OutputFilter $['id','SageMakerOutput']", () => {
      const original = bytes('{"id":"r1","features":[1,2],"note":"x"}\n');
      expect(text(applyInputFilter(original, 'application/jsonlines', '$.features'))).toBe('[1,2]\n');
      const joined = joinAndFilterOutput(original, bytes('{"score":0.7}\n'), JSONL, 'Input', "$['id','SageMakerOutput']");
      expect(text(joined)).toBe('{"id":"r1","SageMakerOutput":{"score":0.7}}');
    });

    it('an input SageMakerOutput key is overwritten, as the guide warns', () => {
      const joined = joinAndFilterOutput(bytes('{"SageMakerOutput":"old","a":1}'), bytes('2'), JSON_TYPES, 'Input', '$');
      expect(JSON.parse(text(joined))).toEqual({ SageMakerOutput: 2, a: 1 });
    });

    it('a CSV response joins as its row, numbers as numbers', () => {
      const types = { contentType: 'application/jsonlines', accept: 'text/csv' };
      const joined = joinAndFilterOutput(bytes('{"a":1}'), bytes('0.5,cat,007\n'), types, 'Input', '$.SageMakerOutput');
      expect(text(joined)).toBe('[0.5,"cat","007"]');
    });

    it('pairs JSON lines one to one and refuses a response of another length', () => {
      const joined = joinAndFilterOutput(bytes('{"i":1}\n{"i":2}\n'), bytes('10\n20\n'), JSONL, 'Input', '$.SageMakerOutput');
      expect(text(joined)).toBe('10\n20');
      const error = failure(() => joinAndFilterOutput(bytes('{"i":1}\n{"i":2}\n'), bytes('{"predictions":[10,20]}'), JSONL, 'Input', '$'));
      expect(error.message).toContain('the input holds 2 and the response 1');
    });
  });

  describe('JoinSource None with an OutputFilter', () => {
    it('filters the response in the Accept format', () => {
      expect(text(joinAndFilterOutput(bytes('ignored'), bytes('{"predictions":[[1,2]]}'), JSON_TYPES, 'None', '$.predictions[0]'))).toBe('[1,2]');
      expect(text(joinAndFilterOutput(bytes('ignored'), bytes('0.1,0.9\n'), CSV, 'None', '$[-1]'))).toBe('0.9');
    });

    it('a response that does not parse is an error', () => {
      expect(failure(() => joinAndFilterOutput(bytes(''), bytes('<html>'), JSON_TYPES, 'None', '$.a')).message).toContain(
        'the response is not JSON',
      );
    });
  });
});
