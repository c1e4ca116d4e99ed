import { parseMediaType, splitOutsideQuotes } from '../../../../container/server/content/media-type';

describe('parseMediaType', () => {
  it('lower-cases the type and parameter names, unquotes values and keeps their case', () => {
    const mediaType = parseMediaType(' Text/CSV ; Charset="UTF-8";header=present ; name="a \\"b\\"; c" ');
    expect(mediaType?.essence).toBe('text/csv');
    expect(Object.fromEntries(mediaType?.parameters ?? [])).toEqual({ charset: 'UTF-8', header: 'present', name: 'a "b"; c' });
  });

  it('allows empty parameters', () => {
    expect(parseMediaType('application/json;;')?.essence).toBe('application/json');
  });

  it.each(['json', 'application/json/x', 'application/', 'a b/c', 'text/csv; header', 'text/csv; header=a b', 'text/csv; x="open'])(
    'is undefined for %p',
    (text) => {
      expect(parseMediaType(text)).toBeUndefined();
    },
  );
});

describe('splitOutsideQuotes', () => {
  it('does not split inside quoted strings, escaped quotes included', () => {
    expect(splitOutsideQuotes('a;b="x;\\"y";c', ';')).toEqual(['a', 'b="x;\\"y"', 'c']);
  });
});
