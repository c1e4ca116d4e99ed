import { JsonPathError } from '../../../transform/data-processing/data-processing-error';
import { parseJsonPath } from '../../../transform/data-processing/json-path';

function syntaxError(path: string): JsonPathError {
  try {
    parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathError) return error;
    throw error;
  }
  throw new Error(`${path} parsed`);
}

describe('parseJsonPath', () => {
  it('reads $ alone as the whole value, definite', () => {
    expect(parseJsonPath('$')).toEqual({ source: '$', segments: [], definite: true, indexOnly: true });
  });

  it('reads dot-notated names', () => {
    const path = parseJsonPath('$.features.x_1');
    expect(path.segments).toEqual([
      { kind: 'names', names: ['features'], offset: 1 },
      { kind: 'names', names: ['x_1'], offset: 10 },
    ]);
    expect(path).toMatchObject({ definite: true, indexOnly: false });
  });

  it('reads * as .*, [*] and after a name (the guide\'s $.id.*)', () => {
    expect(parseJsonPath('$.id.*').segments[1]).toEqual({ kind: 'wildcard', offset: 4 });
    expect(parseJsonPath('$[*]').segments).toEqual([{ kind: 'wildcard', offset: 1 }]);
    expect(parseJsonPath('$.*').definite).toBe(false);
  });

  it("reads bracketed names with either quote, spaces after commas, escapes, and the guide's .['a','b'] form", () => {
    expect(parseJsonPath("$['id','SageMakerOutput']").segments).toEqual([
      { kind: 'names', names: ['id', 'SageMakerOutput'], offset: 1 },
    ]);
    expect(parseJsonPath(`$["a b", 'it\\'s']`).segments[0]).toMatchObject({ names: ['a b', "it's"] });
    expect(parseJsonPath("$.field1.['child1','child2']").segments[1]).toEqual({
      kind: 'names',
      names: ['child1', 'child2'],
      offset: 8,
    });
  });

  it('takes a dotted name inside brackets literally, never as a nested path', () => {
    expect(parseJsonPath("$['child2.grandchild']").segments[0]).toMatchObject({ names: ['child2.grandchild'] });
  });

  it('reads indexes, negative indexes and index lists', () => {
    expect(parseJsonPath('$[1]').segments[0]).toEqual({
      kind: 'indexes',
      selectors: [{ kind: 'index', index: 1, offset: 2 }],
      offset: 1,
    });
    expect(parseJsonPath('$[1,3,5]').segments[0]).toMatchObject({
      selectors: [{ index: 1 }, { index: 3 }, { index: 5 }],
    });
    expect(parseJsonPath('$[-1]').segments[0]).toMatchObject({ selectors: [{ kind: 'index', index: -1 }] });
    expect(parseJsonPath('$[1]').definite).toBe(true);
    expect(parseJsonPath('$[1,3]').definite).toBe(false);
  });

  it('reads slices with either bound left out, and mixes them with indexes ($[0,5:], the API example)', () => {
    expect(parseJsonPath('$[2:5]').segments[0]).toMatchObject({ selectors: [{ kind: 'slice', start: 2, end: 5 }] });
    expect(parseJsonPath('$[:5]').segments[0]).toMatchObject({ selectors: [{ kind: 'slice', start: undefined, end: 5 }] });
    expect(parseJsonPath('$[2:]').segments[0]).toMatchObject({ selectors: [{ kind: 'slice', start: 2, end: undefined }] });
    expect(parseJsonPath('$[-2:]').segments[0]).toMatchObject({ selectors: [{ kind: 'slice', start: -2 }] });
    expect(parseJsonPath('$[0, 5:]').segments[0]).toMatchObject({
      selectors: [
        { kind: 'index', index: 0, offset: 2 },
        { kind: 'slice', start: 5, offset: 5 },
      ],
    });
    expect(parseJsonPath('$[1:]').definite).toBe(false);
  });

  it('marks several names as the last step definite (they make one object) but not mid-path', () => {
    expect(parseJsonPath("$['a','b']").definite).toBe(true);
    expect(parseJsonPath("$['a','b'].c").definite).toBe(false);
  });

  it('says a path is index-only when no step selects by name, which is what a CSV row allows', () => {
    expect(parseJsonPath('$[0,-1]').indexOnly).toBe(true);
    expect(parseJsonPath('$[*][1:]').indexOnly).toBe(true);
    expect(parseJsonPath('$.a[0]').indexOnly).toBe(false);
  });

  it.each([
    ['', 0, 'the path is empty'],
    ['features', 0, 'a path must start with "$"'],
    ['$..price', 1, 'recursive descent'],
    ['$.', 2, 'expected a name after "."'],
    ['$.a b', 3, '" " cannot appear in a .name'],
    ['$x', 1, 'expected ".name" or "[...]", found "x"'],
    ['$[', 1, '"[" is never closed'],
    ['$[1:', 1, '"[" is never closed'],
    ['$[1', 1, '"[" is never closed'],
    ['$[]', 2, 'expected an index, a start:end slice, a quoted name or *, found "]"'],
    ["$['a", 2, 'the name starting here has no closing \''],
    ["$['a',1]", 6, 'either quoted names or indexes, not both'],
    ["$[1,'a']", 4, 'either quoted names or indexes, not both'],
    ['$[1:3:1]', 5, 'slice steps'],
    ['$[4:1]', 2, 'the slice starts at 4, after its end 1'],
    ['$[?(@.a)]', 2, 'expected an index'],
    ['$[1 2]', 4, 'expected "," or "]", found "2"'],
    ['$[*', 3, 'expected "]" after "[*": the path ends here'],
    ['$[99999999999999999999]', 2, 'too large for an index'],
  ])('refuses %j at offset %i: %s', (path, offset, problem) => {
    const error = syntaxError(path);
    expect(error.offset).toBe(offset);
    expect(error.path).toBe(path);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(`JSONPath ${JSON.stringify(path)} at offset ${offset}`);
    expect(error.status).toBe(400);
  });
});
