import { InvalidArgumentError } from '../../errors';
import { JsonNumber, parseJson } from '../../tfs/json-parse';

/**
 * JSON and JSON Lines bodies → a TensorFlow Serving request (B5.3). The request is spliced from the body's own text,
 * never re-serialised, so number literals reach the model as written (`9007199254740993` stays exact, `1` stays an
 * integer and `1.0` a double). Bodies are parsed only to validate them and to classify them by their top level,
 * which fixes the peer's regex classification (`{"data": {"examples": 1}}` is not a TF Serving request).
 */

const TFS_REQUEST_KEYS = ['instances', 'inputs', 'examples'];

interface Line {
  /** 1-based, counting blank lines, so that it matches what an editor shows. */
  readonly number: number;
  readonly text: string;
}

/**
 * `application/json`: one document is classified as a whole; several documents on their own lines (the first line
 * a complete document) are read as JSON Lines, as the peer does.
 */
export function decodeJson(text: string): string {
  let document: unknown;
  try {
    document = parseJsonText(text);
  } catch (wholeDocumentError) {
    const lines = nonBlankLines(text);
    if (lines.length > 1 && isJsonDocument(lines[0].text)) return instancesFromLines(lines);
    throw wholeDocumentError;
  }
  return classifiedRequest(text.trim(), document);
}

/** The JSON Lines types: each non-blank line is one instance; a single line is classified like a JSON body. */
export function decodeJsonLines(text: string): string {
  const lines = nonBlankLines(text);
  if (lines.length === 0) throw new InvalidArgumentError('The JSON Lines body is empty: no line holds a JSON document');
  if (lines.length > 1) return instancesFromLines(lines);
  const [line] = lines;
  return classifiedRequest(line.text, parseLine(line));
}

/**
 * A TF Serving request (a top-level object with `instances`, `inputs` or `examples`) passes unchanged. Anything else
 * becomes the instances: a list of lists or of objects is the instances list itself, any other value one instance.
 */
function classifiedRequest(text: string, document: unknown): string {
  if (isObject(document) && TFS_REQUEST_KEYS.some((key) => hasMember(document, key))) return text;
  if (isListOfInstances(document)) return `{"instances":${text}}`;
  return `{"instances":[${text}]}`;
}

/**
 * `[[1,2],[3,4]]` is two instances, as in the peer (its `[[` prefix rule). tfserve also reads `[{"x":1},{"x":2}]` as
 * two named-input instances: the peer wrapped it into one instance that TF Serving always rejects.
 */
function isListOfInstances(document: unknown): boolean {
  if (!Array.isArray(document) || document.length === 0) return false;
  return document.every(Array.isArray) || document.every(isObject);
}

function instancesFromLines(lines: Line[]): string {
  for (const line of lines) parseLine(line);
  return `{"instances":[${lines.map((line) => line.text).join(',')}]}`;
}

function parseLine(line: Line): unknown {
  try {
    return parseJsonText(line.text);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new InvalidArgumentError(`JSON Lines line ${line.number}: ${error.message}`);
    }
    throw error;
  }
}

function isJsonDocument(text: string): boolean {
  try {
    parseJsonText(text);
    return true;
  } catch {
    return false;
  }
}

function nonBlankLines(text: string): Line[] {
  return text
    .split('\n')
    .map((line, index) => ({ number: index + 1, text: line.trim() }))
    .filter((line) => line.text !== '');
}

/**
 * The document, for validation and classification only (the request keeps the body's own text). JSON.parse is
 * about three times faster than the literal-keeping parser and sees the same structure; what it refuses — NaN and
 * Infinity, which TF Serving accepts, and malformed JSON, whose message must be TF Serving's — goes to parseJson.
 */
function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parseJson(Buffer.from(text, 'utf8'));
  }
}

/** An object as either parser gives it: a plain object from JSON.parse, a Map from parseJson. */
function isObject(value: unknown): value is object {
  return value instanceof Map || (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber));
}

function hasMember(value: object, key: string): boolean {
  return value instanceof Map ? value.has(key) : Object.hasOwn(value, key);
}
