import { UnsupportedMediaTypeError } from '../../../../container/errors';
import { negotiateResponseType } from '../../../../container/server/content/accept';

const chosen = (accept: string | undefined) => negotiateResponseType(accept).contentType;

describe('negotiateResponseType', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['text/*', 'text/csv'],
    ['application/json', 'application/json'],
    ['application/jsonlines', 'application/jsonlines'],
    ['application/x-ndjson', 'application/x-ndjson'],
    ['application/jsons', 'application/jsons'],
    ['text/csv', 'text/csv'],
    ['TEXT/CSV; charset=utf-8', 'text/csv'],
  ])('Accept %p → %s', (accept, contentType) => {
    expect(chosen(accept)).toBe(contentType);
  });

  it('the format follows the type', () => {
    expect(negotiateResponseType('application/ndjson')).toEqual({ format: 'jsonlines', contentType: 'application/ndjson' });
    expect(negotiateResponseType('text/csv')).toEqual({ format: 'csv', contentType: 'text/csv' });
    expect(negotiateResponseType('*/*')).toEqual({ format: 'json', contentType: 'application/json' });
  });

  it('the highest q wins', () => {
    expect(chosen('application/json;q=0.5, text/csv;q=0.9')).toBe('text/csv');
    expect(chosen('application/jsonlines;q=0.8, application/json;q=0.2')).toBe('application/jsonlines');
    expect(chosen('text/csv;q=0.001, image/png')).toBe('text/csv');
  });

  it('tfserve fix: among equal q the first listed wins and Content-Type is what the body is (the peer labelled JSON text/csv)', () => {
    expect(chosen('application/json, application/jsonlines')).toBe('application/json');
    expect(chosen('text/csv, application/json')).toBe('text/csv');
    expect(chosen('application/jsonlines,application/json')).toBe('application/jsonlines');
  });

  it('a named type beats a wildcard of the same q', () => {
    expect(chosen('*/*, text/csv')).toBe('text/csv');
    expect(chosen('application/*, application/x-ndjson')).toBe('application/x-ndjson');
  });

  it('the most specific range decides a type\'s q, so q=0 refuses that type only', () => {
    expect(chosen('application/json;q=0, */*')).toBe('application/jsonlines');
    expect(chosen('text/csv;q=0, text/*;q=1, application/json;q=0.1')).toBe('application/json');
    expect(chosen('application/*;q=0, */*;q=0.5')).toBe('text/csv');
  });

  it('parameters other than q are ignored, quoted commas included', () => {
    expect(chosen('text/csv; header="a,b"; q=0.9, application/json; q=0.8')).toBe('text/csv');
  });

  it('malformed ranges and weights are skipped', () => {
    expect(chosen('garbage, text/csv')).toBe('text/csv');
    expect(chosen('application/json;q=2, text/csv;q=0.5')).toBe('text/csv');
    expect(chosen('*/json, text/csv;q=0.1')).toBe('text/csv');
  });

  it.each(['image/png', 'application/json;q=0', 'text/html, application/xml;q=0.9', 'garbage', '*/*;q=0'])(
    'an Accept nothing satisfies is a 415 naming it: %s',
    (accept) => {
      let error: unknown;
      try {
        negotiateResponseType(` ${accept} `);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect((error as UnsupportedMediaTypeError).status).toBe(415);
      expect((error as Error).message).toBe(
        `Unsupported Media Type in Accept: ${accept} (tfserve answers application/json, application/jsonlines, ` +
          'application/jsons, application/x-jsonlines, application/json-lines, application/x-ndjson, ' +
          'application/ndjson or text/csv)',
      );
    },
  );
});
