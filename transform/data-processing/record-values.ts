import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DataProcessingError } from './data-processing-error';

/**
 * Records as JSON values, the way DataProcessing sees them: a JSON or JSON Lines body is a sequence of JSON values,
 * a CSV body a sequence of rows, each row a JSON array of its cells' text ("For CSV data, each row is taken as a JSON
 * array"). A body may hold several values, so one call serves a SingleRecord record and a MultiRecord mini-batch.
 */

/** The content types DataProcessing works on (dev guide: "text/csv, application/json, or application/jsonlines"). */
export const DATA_PROCESSING_CONTENT_TYPES = ['text/csv', 'application/json', 'application/jsonlines'] as const;

export type DataFormat = 'csv' | 'json';

/** `Text/CSV; charset=utf-8` → `text/csv`. */
function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** The format a content type is read and written in, or undefined when DataProcessing does not apply to it. */
export function dataFormatOf(contentType: string | undefined): DataFormat | undefined {
  if (contentType === undefined) return undefined;
  const type = mediaType(contentType);
  if (type === 'text/csv') return 'csv';
  return type === 'application/json' || type === 'application/jsonlines' ? 'json' : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function decodeText(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new DataProcessingError(`the ${what} is not UTF-8 text, so DataProcessing cannot read it as JSON or CSV`);
  }
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The line ending a record ends with (`\r\n`, `\n` or none), so a filtered record keeps its framing. */
export function lineEnding(text: string): string {
  if (text.endsWith('\r\n')) return '\r\n';
  return text.endsWith('\n') ? '\n' : '';
}

export function decodeValues(text: string, format: DataFormat, what: string): unknown[] {
  return format === 'csv' ? parseCsvRows(text, what) : parseJsonValues(text, what);
}

/** One line per value, without a final line ending: JSON compact, CSV per RFC 4180 (quoted only where needed). */
export function encodeValues(values: readonly unknown[], format: DataFormat): string {
  if (format === 'json') return values.map((value) => JSON.stringify(value)).join('\n');
  const rows = values.map((value) => (Array.isArray(value) ? value : [value]).map(csvCell));
  return stringify(rows, { record_delimiter: '\n' }).replace(/\n$/, '');
}

function csvCell(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** CSV cells are text; joined into JSON, a cell that is a JSON number becomes that number, others stay strings. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function csvRowAsJson(row: readonly string[]): unknown[] {
  return row.map((cell) => (JSON_NUMBER.test(cell) ? Number(cell) : cell));
}

/** Cells keep their exact text (no trimming, no number parsing): `1.50` is written back as `1.50`. */
function parseCsvRows(text: string, what: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new DataProcessingError(`the ${what} is not valid CSV (RFC 4180): ${error.message}`);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** A JSON document, or several separated by whitespace (JSON Lines, or a MultiRecord batch of JSON lines). */
function parseJsonValues(text: string, what: string): unknown[] {
  const values: unknown[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (WHITESPACE.has(text[pos])) pos++;
    if (pos >= text.length) return values;
    const end = jsonValueEnd(text, pos);
    try {
      values.push(JSON.parse(text.slice(pos, end)));
    } catch (error) {
      const line = text.slice(0, pos).split('\n').length;
      const reason = (error as Error).message;
      const where = `the value at character ${pos} (line ${line})`;
      throw new DataProcessingError(`the ${what} is not JSON: ${where} does not parse: ${reason}`);
    }
    pos = end;
  }
}

/**
 * Where the JSON value starting at `start` ends: after the bracket that closes its first one (strings skipped), or,
 * for a bare scalar, at the next whitespace. Malformed text ends somewhere; JSON.parse then says what is wrong.
 */
function jsonValueEnd(text: string, start: number): number {
  const first = text[start];
  if (first !== '{' && first !== '[' && first !== '"') {
    let end = start;
    while (end < text.length && !WHITESPACE.has(text[end])) end++;
    return end;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
    }
    if (!inString && depth === 0) return i + 1;
  }
  return text.length;
}
