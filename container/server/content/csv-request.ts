import { CsvError, parse } from 'csv-parse/sync';
import { InvalidArgumentError } from '../../errors';

/**
 * `text/csv` bodies (RFC 4180) → a TensorFlow Serving row request (B5.4, with the peer's bugs fixed: quoted fields,
 * a header row, per-column types). Each row is one instance: one column gives scalars, several give lists, and with
 * `header=present` each row is an object keyed by the header, i.e. named inputs. Numbers are written with their CSV
 * text, so int64 values and the `1` / `1.0` distinction reach the model as sent.
 */

type ColumnKind = 'number' | 'boolean' | 'string';

type Row = string[];

/** JSON's number grammar, plus the NaN and infinities that TF Serving's parser accepts. */
const NUMBER = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Inf(?:inity)?)$/;
const BOOLEAN = /^(?:true|false)$/i;

export function decodeCsv(text: string, hasHeader: boolean): string {
  const rows = parseRows(text);
  if (rows.length === 0) throw new InvalidArgumentError('The CSV body is empty: no rows');
  const header = hasHeader ? headerNames(rows[0]) : undefined;
  const dataRows = hasHeader ? rows.slice(1) : rows;
  if (dataRows.length === 0) throw new InvalidArgumentError('The CSV body has a header row but no data rows');
  const kinds = columnKinds(dataRows);
  const instances = dataRows.map((fields) => {
    const values = fields.map((field, column) => valueJson(field, kinds[column]));
    if (header) return `{${values.map((value, column) => `${header[column]}:${value}`).join(',')}}`;
    return values.length === 1 ? values[0] : `[${values.join(',')}]`;
  });
  return `{"instances":[${instances.join(',')}]}`;
}

/**
 * Whitespace around fields is dropped (`1.0, 2.0` reads as two numbers, as in the peer); blank lines are skipped; a
 * UTF-8 byte-order mark has already gone with the body's decoding. Every row must have as many fields as the first.
 */
function parseRows(text: string): Row[] {
  const options = { skip_empty_lines: true, trim: true };
  try {
    return parse(text, options) as Row[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') throw new InvalidArgumentError(`Malformed CSV: ${error.message}`);
    // Only on this path is the first row parsed again, for its width: csv-parse's error carries the bad row alone.
    const [firstRow] = parse(text, { ...options, to: 1 }) as Row[];
    const { length } = error.record as Row;
    throw new InvalidArgumentError(
      `CSV row ${error.records + 1} (line ${error.lines}) has ${length} field${length === 1 ? '' : 's'}; row 1 has ${firstRow.length}`,
    );
  }
}

/** The header's names as JSON object keys; a name must be present and unique to name an input. */
function headerNames(row: Row): string[] {
  const seen = new Set<string>();
  return row.map((name, column) => {
    if (name === '') throw new InvalidArgumentError(`CSV header column ${column + 1} has no name`);
    if (seen.has(name)) throw new InvalidArgumentError(`CSV header names column "${name}" twice`);
    seen.add(name);
    return JSON.stringify(name);
  });
}

/**
 * Types are decided per column, over every row: the peer decided once per payload from the first character, so
 * `England,1,2` was taken for numbers.
 */
function columnKinds(rows: Row[]): ColumnKind[] {
  return rows[0].map((_, column) => {
    if (rows.every((fields) => isNumber(fields[column]))) return 'number';
    if (rows.every((fields) => BOOLEAN.test(fields[column]))) return 'boolean';
    return 'string';
  });
}

/** A literal too large for a double is not a number TF Serving can read, so its column stays text. */
function isNumber(field: string): boolean {
  return NUMBER.test(field) && (/[NI]/.test(field) || Number.isFinite(Number(field)));
}

function valueJson(field: string, kind: ColumnKind): string {
  if (kind === 'number') return field;
  if (kind === 'boolean') return field.toLowerCase();
  return JSON.stringify(field);
}
