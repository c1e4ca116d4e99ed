import { JsonPathError } from './data-processing-error';
import { picksOne, type IndexSelector, type JsonPath, type Segment } from './json-path';

/**
 * Applies a parsed path to a parsed JSON value. A definite path yields its value; any other yields the array of
 * matches in document order. Several names as the last step of a definite path yield an object holding just those
 * keys, in the path's order: that is how `$['id','SageMakerOutput']` keeps an id beside its prediction.
 *
 * Errors, following Jayway JsonPath (the implementation the guide points to) and the API reference ("If you specify
 * indexes that aren't within the dimension size of the joined dataset, you get an error"):
 * - an index, or an explicit slice bound, outside the array is an error wherever it appears;
 * - while every step so far picked one value, a missing key or a value of the wrong kind is an error: the record
 *   does not have the shape the filter was written for;
 * - after a step that picked several (`*`, a list, a slice), values without the key or of another kind are skipped,
 *   as a query over heterogeneous items does.
 */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown {
  let matches: unknown[] = [root];
  let upstreamDefinite = true;
  path.segments.forEach((segment, i) => {
    const last = i === path.segments.length - 1;
    matches = matches.flatMap((value) => step(path, segment, value, upstreamDefinite, last));
    upstreamDefinite &&= picksOne(segment, last);
  });
  return path.definite ? matches[0] : matches;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  return isObject(value) ? 'an object' : `a ${typeof value}`;
}

function step(path: JsonPath, segment: Segment, value: unknown, strict: boolean, last: boolean): unknown[] {
  const mismatch = (expected: string): unknown[] => {
    if (!strict) return [];
    throw new JsonPathError(path.source, segment.offset, `expected ${expected}, found ${describe(value)}`);
  };
  switch (segment.kind) {
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isObject(value) ? Object.values(value) : mismatch('an object or an array for *');
    case 'names':
      if (!isObject(value)) return mismatch(`an object for ${quoteNames(segment)}`);
      return pickNames(path, segment, value, strict, last);
    case 'indexes':
      return Array.isArray(value)
        ? segment.selectors.flatMap((selector) => pickIndexes(path, selector, value))
        : mismatch('an array for an index');
  }
}

function quoteNames(segment: { names: readonly string[] }): string {
  return segment.names.map((name) => JSON.stringify(name)).join(', ');
}

function pickNames(
  path: JsonPath,
  segment: Extract<Segment, { kind: 'names' }>,
  value: JsonObject,
  strict: boolean,
  last: boolean,
): unknown[] {
  const present = segment.names.filter((name) => Object.hasOwn(value, name));
  if (strict && present.length < segment.names.length) {
    const missing = segment.names.filter((name) => !Object.hasOwn(value, name));
    const keys = Object.keys(value);
    const has = keys.length === 0 ? 'no keys' : `keys ${quoteNames({ names: keys.slice(0, 10) })}`;
    const problem = `the object has no ${quoteNames({ names: missing })} (it has ${has})`;
    throw new JsonPathError(path.source, segment.offset, problem);
  }
  if (segment.names.length > 1 && last) {
    return [Object.fromEntries(present.map((name) => [name, value[name]]))];
  }
  return present.map((name) => value[name]);
}

function pickIndexes(path: JsonPath, selector: IndexSelector, array: readonly unknown[]): unknown[] {
  const position = (index: number): number => {
    const resolved = index < 0 ? array.length + index : index;
    if (resolved < 0 || resolved >= array.length) {
      const { length } = array;
      const valid = length === 0 ? 'the array is empty' : `valid indexes are 0..${length - 1} or -${length}..-1`;
      const problem = `index ${index} is outside the array of ${length} (${valid})`;
      throw new JsonPathError(path.source, selector.offset, problem);
    }
    return resolved;
  };
  if (selector.kind === 'index') return [array[position(selector.index)]];
  const start = selector.start === undefined ? 0 : position(selector.start);
  const end = selector.end === undefined ? array.length - 1 : position(selector.end);
  return array.slice(start, end + 1);
}
