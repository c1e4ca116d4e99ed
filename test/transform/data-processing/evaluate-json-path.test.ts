import { JsonPathError } from '../../../transform/data-processing/data-processing-error';
import { evaluateJsonPath } from '../../../transform/data-processing/evaluate-json-path';
import { parseJsonPath } from '../../../transform/data-processing/json-path';

const evaluate = (path: string, value: unknown) => evaluateJsonPath(parseJsonPath(path), value);

function evaluationError(path: string, value: unknown): JsonPathError {
  try {
    evaluate(path, value);
  } catch (error) {
    if (error instanceof JsonPathError) return error;
    throw error;
  }
  throw new Error(`${path} matched`);
}

const columns = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];

describe('evaluateJsonPath', () => {
  it('$ yields the value itself', () => {
    const value = { a: [1, 2] };
    expect(evaluate('$', value)).toBe(value);
  });

  it('.name and chains of names yield the value (a definite path is not wrapped)', () => {
    expect(evaluate('$.features', { id: 7, features: [1, 2, 3] })).toEqual([1, 2, 3]);
    expect(evaluate('$.a.b', { a: { b: null } })).toBeNull();
  });

  it('* yields every element of an array and every value of an object, in order', () => {
    expect(evaluate('$.id.*', { id: { x: 1, y: 'two' } })).toEqual([1, 'two']);
    expect(evaluate('$[*]', [3, 4])).toEqual([3, 4]);
    expect(evaluate('$[*].v', [{ v: 1 }, { w: 2 }, 'scalar', { v: 3 }])).toEqual([1, 3]);
  });

  it("several names as the last step yield an object of those keys, in the path's order ($['id','SageMakerOutput'])", () => {
    const joined = { SageMakerOutput: { label: 1 }, features: [0.5], id: 'r1' };
    expect(evaluate("$['id','SageMakerOutput']", joined)).toEqual({ id: 'r1', SageMakerOutput: { label: 1 } });
    expect(Object.keys(evaluate("$['id','SageMakerOutput']", joined) as object)).toEqual(['id', 'SageMakerOutput']);
  });

  it('several names mid-path yield the matches of each', () => {
    expect(evaluate("$['a','b'].v", { a: { v: 1 }, b: { v: 2 } })).toEqual([1, 2]);
  });

  it('[i] and negative [i] pick one element; [-1] is the last', () => {
    expect(evaluate('$[1]', columns)).toBe('c2');
    expect(evaluate('$[-1]', columns)).toBe('c7');
    expect(evaluate('$[-7]', columns)).toBe('c1');
  });

  it('[i,j] picks several, in the order asked, negatives included', () => {
    expect(evaluate('$[1,3,5]', columns)).toEqual(['c2', 'c4', 'c6']);
    expect(evaluate('$[0,-1]', columns)).toEqual(['c1', 'c7']);
    expect(evaluate('$[2,0]', columns)).toEqual(['c3', 'c1']);
  });

  describe('slices include their end, as the dev guide says', () => {
    it('$[1:4] is the second through fifth columns', () => {
      expect(evaluate('$[1:4]', columns)).toEqual(['c2', 'c3', 'c4', 'c5']);
    });

    it('$[:5] is the first column through the sixth', () => {
      expect(evaluate('$[:5]', columns)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    });

    it('$[5:] is the sixth column through the last; $[1:] drops the first', () => {
      expect(evaluate('$[5:]', columns)).toEqual(['c6', 'c7']);
      expect(evaluate('$[1:]', columns)).toEqual(columns.slice(1));
    });

    it('$[2:5] and a slice of one element', () => {
      expect(evaluate('$[2:5]', columns)).toEqual(['c3', 'c4', 'c5', 'c6']);
      expect(evaluate('$[3:3]', columns)).toEqual(['c4']);
    });

    it('negative bounds count from the end: $[-2:] and $[1:-2]', () => {
      expect(evaluate('$[-2:]', columns)).toEqual(['c6', 'c7']);
      expect(evaluate('$[1:-2]', columns)).toEqual(['c2', 'c3', 'c4', 'c5', 'c6']);
    });

    it('a slice whose resolved start is past its end is empty', () => {
      expect(evaluate('$[5:-4]', columns)).toEqual([]);
    });

    it('$[0,5:] joins an index and a slice (the API example)', () => {
      expect(evaluate('$[0,5:]', columns)).toEqual(['c1', 'c6', 'c7']);
    });

    it('$[:] is everything', () => {
      expect(evaluate('$[:]', columns)).toEqual(columns);
    });
  });

  it('reaches into nested arrays and objects', () => {
    const value = { rows: [{ f: [1, 2, 3] }, { f: [4, 5, 6] }] };
    expect(evaluate('$.rows[1].f[-1]', value)).toBe(6);
    expect(evaluate('$.rows[*].f[0]', value)).toEqual([1, 4]);
    expect(evaluate('$.rows[0].f[1:]', value)).toEqual([2, 3]);
  });

  it('reads keys that are not identifiers, and own keys only', () => {
    expect(evaluate("$['a.b']", { 'a.b': 1, a: { b: 2 } })).toBe(1);
    expect(() => evaluate('$.toString', {})).toThrow(JsonPathError);
  });

  describe('errors name the path and the offset of the step that failed', () => {
    it('an index outside the array, anywhere (the API: "you get an error")', () => {
      const error = evaluationError('$[0,7]', columns);
      expect(error.offset).toBe(4);
      expect(error.message).toBe(
        'JSONPath "$[0,7]" at offset 4: index 7 is outside the array of 7 (valid indexes are 0..6 or -7..-1)',
      );
      expect(evaluationError('$[-8]', columns).message).toContain('index -8 is outside the array of 7');
      expect(evaluationError('$[*][2]', [[1, 2, 3], [1]]).message).toContain('index 2 is outside the array of 1');
    });

    it('an explicit slice bound outside the array', () => {
      expect(evaluationError('$[1:9]', columns).message).toContain('index 9 is outside the array of 7');
      expect(evaluationError('$[9:]', columns).message).toContain('index 9 is outside');
      expect(evaluationError('$[1:]', []).message).toContain('the array is empty');
    });

    it('a missing key on a definite path lists the keys there are', () => {
      const error = evaluationError('$.features', { id: 1, feature: [] });
      expect(error.offset).toBe(1);
      expect(error.message).toContain('the object has no "features" (it has keys "id", "feature")');
      expect(evaluationError("$['id','label']", { id: 1 }).message).toContain('the object has no "label"');
    });

    it('a value of the wrong kind on a definite path', () => {
      expect(evaluationError('$.a', [1, 2]).message).toContain('expected an object for "a", found an array of 2');
      expect(evaluationError('$[0]', { a: 1 }).message).toContain('expected an array for an index, found an object');
      expect(evaluationError('$.a.*', { a: 5 }).message).toContain('expected an object or an array for *, found a number');
      expect(evaluationError('$.a[0]', { a: null }).message).toContain('found null');
    });
  });
});
