import { JsonPathError } from './data-processing-error';

/**
 * The JSONPath subset SageMaker's DataProcessing accepts (dev guide, "Supported JSONPath Operators"):
 * `$`, `.name`, `*` (`.*` or `[*]`), `['a','b']`, `[i]` and `[i,j]` (negative counts from the end), `[start:end]`.
 * Recursive descent (`..`), filters (`?()`), scripts and slice steps are not in the subset and are refused.
 *
 * Choices where the guide is silent or unclear:
 * - A slice's end is INCLUSIVE: the guide's prose says `$[1:4]` "specifies the second through fifth columns" and
 *   `[:5]` is "the first column (index 0) through the sixth column", although its table likens the operator to JS
 *   `slice()`. The prose, with its worked examples, is what users copy, so it wins.
 * - Indexes and slices may be mixed in one bracket: the API reference's own OutputFilter example is `$[0,5:]`.
 * - `.[...]` is read as `[...]`: the guide's example of a supported path is `$.field1.['child1','child2']`.
 * - A quoted name is taken literally: `['child2.grandchild']` is the key "child2.grandchild", never a nested path
 *   (the guide says nesting inside brackets is unsupported; a literal key is what JSONPath itself means by it).
 */

export type IndexSelector =
  | { kind: 'index'; index: number; offset: number }
  | { kind: 'slice'; start?: number; end?: number; offset: number };

export type Segment =
  | { kind: 'names'; names: readonly string[]; offset: number }
  | { kind: 'wildcard'; offset: number }
  | { kind: 'indexes'; selectors: readonly IndexSelector[]; offset: number };

export interface JsonPath {
  readonly source: string;
  readonly segments: readonly Segment[];
  /**
   * Every step picks one value (one name, one index), or the last step picks several names of one object: the path
   * yields that value itself. Otherwise (`*`, `[i,j]`, slices, names mid-path) it yields the array of matches.
   */
  readonly definite: boolean;
  /** Only index steps (`[0]`, `[1:]`, `[*]`): the only paths that address a CSV row, which is a JSON array. */
  readonly indexOnly: boolean;
}

/** The characters a dot-notated name may not hold; such names are written `['...']`. */
const NOT_IN_DOT_NAME = /[\s'"\]*,:()?@$]/;
const INTEGER = /^-?\d+/;

class Cursor {
  pos = 0;

  constructor(readonly source: string) {}

  get done(): boolean {
    return this.pos >= this.source.length;
  }

  get char(): string {
    return this.source[this.pos] ?? '';
  }

  skipSpaces(): void {
    while (this.char === ' ') this.pos++;
  }

  fail(problem: string, at = this.pos): never {
    throw new JsonPathError(this.source, at, problem);
  }

  expect(char: string, what: string): void {
    if (this.char !== char) this.fail(this.done ? `${what}: the path ends here` : `${what}, found "${this.char}"`);
    this.pos++;
  }
}

export function parseJsonPath(source: string): JsonPath {
  const cursor = new Cursor(source);
  if (source === '') cursor.fail('the path is empty; "$" selects the whole record');
  cursor.expect('$', 'a path must start with "$"');
  const segments: Segment[] = [];
  while (!cursor.done) segments.push(parseSegment(cursor));
  return {
    source,
    segments,
    definite: segments.every((segment, i) => picksOne(segment, i === segments.length - 1)),
    indexOnly: segments.every((segment) => segment.kind !== 'names'),
  };
}

/** Whether a step turns one value into one value (so the path stays definite). */
export function picksOne(segment: Segment, last: boolean): boolean {
  if (segment.kind === 'names') return segment.names.length === 1 || last;
  if (segment.kind === 'indexes') return segment.selectors.length === 1 && segment.selectors[0].kind === 'index';
  return false;
}

function parseSegment(cursor: Cursor): Segment {
  const offset = cursor.pos;
  if (cursor.char === '[') return parseBracket(cursor, offset);
  if (cursor.char !== '.') cursor.fail(`expected ".name" or "[...]", found "${cursor.char}"`);
  cursor.pos++;
  if (cursor.char === '.') cursor.fail('recursive descent ("..") is not in the subset SageMaker supports', offset);
  if (cursor.char === '[') return parseBracket(cursor, offset);
  if (cursor.char === '*') {
    cursor.pos++;
    return { kind: 'wildcard', offset };
  }
  const start = cursor.pos;
  while (!cursor.done && cursor.char !== '.' && cursor.char !== '[') {
    if (NOT_IN_DOT_NAME.test(cursor.char)) {
      cursor.fail(`"${cursor.char}" cannot appear in a .name; write names holding it as ['...']`);
    }
    cursor.pos++;
  }
  if (cursor.pos === start) cursor.fail('expected a name after "."');
  return { kind: 'names', names: [cursor.source.slice(start, cursor.pos)], offset };
}

/** `offset` is where the segment starts: its "[", or the "." before it. */
function parseBracket(cursor: Cursor, offset: number): Segment {
  const open = cursor.pos;
  cursor.pos++;
  cursor.skipSpaces();
  if (cursor.done) cursor.fail('"[" is never closed', open);
  if (cursor.char === '*') {
    cursor.pos++;
    cursor.skipSpaces();
    cursor.expect(']', 'expected "]" after "[*"');
    return { kind: 'wildcard', offset };
  }
  const quoted = cursor.char === "'" || cursor.char === '"';
  const names: string[] = [];
  const selectors: IndexSelector[] = [];
  for (;;) {
    cursor.skipSpaces();
    const itemIsQuoted = cursor.char === "'" || cursor.char === '"';
    if (itemIsQuoted !== quoted) cursor.fail('a bracket lists either quoted names or indexes, not both');
    if (quoted) names.push(parseQuoted(cursor));
    else selectors.push(parseIndexSelector(cursor));
    cursor.skipSpaces();
    if (cursor.char === ']') break;
    if (cursor.done) cursor.fail('"[" is never closed', open);
    cursor.expect(',', 'expected "," or "]"');
  }
  cursor.pos++;
  return quoted ? { kind: 'names', names, offset } : { kind: 'indexes', selectors, offset };
}

function parseQuoted(cursor: Cursor): string {
  const start = cursor.pos;
  const quote = cursor.char;
  let name = '';
  cursor.pos++;
  while (cursor.char !== quote) {
    if (cursor.done) cursor.fail(`the name starting here has no closing ${quote}`, start);
    if (cursor.char === '\\') cursor.pos++;
    name += cursor.char;
    cursor.pos++;
  }
  cursor.pos++;
  return name;
}

function parseInteger(cursor: Cursor): number | undefined {
  const match = INTEGER.exec(cursor.source.slice(cursor.pos));
  if (!match) return undefined;
  const value = Number(match[0]);
  if (!Number.isSafeInteger(value)) cursor.fail(`${match[0]} is too large for an index`);
  cursor.pos += match[0].length;
  return value;
}

function parseIndexSelector(cursor: Cursor): IndexSelector {
  const offset = cursor.pos;
  const start = parseInteger(cursor);
  cursor.skipSpaces();
  if (cursor.char !== ':') {
    if (start === undefined) {
      cursor.fail(`expected an index, a start:end slice, a quoted name or *, found ${describeChar(cursor)}`);
    }
    return { kind: 'index', index: start, offset };
  }
  cursor.pos++;
  cursor.skipSpaces();
  const end = parseInteger(cursor);
  cursor.skipSpaces();
  if (cursor.char === ':') cursor.fail('slice steps (start:end:step) are not in the subset SageMaker supports');
  if (start !== undefined && end !== undefined && (start < 0) === (end < 0) && start > end) {
    cursor.fail(`the slice starts at ${start}, after its end ${end}`, offset);
  }
  return { kind: 'slice', start, end, offset };
}

function describeChar(cursor: Cursor): string {
  return cursor.done ? 'the end of the path' : `"${cursor.char}"`;
}
