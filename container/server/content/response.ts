import { stringify } from 'csv-stringify/sync';
import { UnsupportedMediaTypeError } from '../../errors';
import { isJsonObject, JsonNumber, parseJson, type JsonObject, type JsonValue } from '../../tfs/json-parse';
import { compactJson } from './json-compact';
import type { ResponseType } from './accept';

/**
 * The model's TensorFlow Serving response JSON → the body in the negotiated type. JSON passes unchanged. JSON Lines
 * and CSV write one record per prediction: each item of `predictions` (row predict) or `results` (classify, regress),
 * or of `outputs` when the columnar response is one list (split along its first dimension, as the row form is).
 * Neither ends with a newline: SageMaker Batch Transform (AssembleWith=Line) adds one after each response.
 * Error responses stay JSON whatever was asked, so a client can always read them.
 */

export interface EncodedResponse {
  readonly body: string;
  readonly contentType: string;
}

const RECORD_KEYS = ['predictions', 'results', 'outputs'];

export function encodeResponse(modelResponseJson: string, type: ResponseType): EncodedResponse {
  const asJson = { body: modelResponseJson, contentType: 'application/json' };
  if (type.format === 'json') return asJson;
  const document = parseJson(Buffer.from(modelResponseJson, 'utf8'));
  if (!isJsonObject(document) || document.has('error')) return asJson;
  const records = recordsOf(document);
  if (type.format === 'jsonlines') {
    // Named columnar outputs have no per-instance records: the whole response is the one line.
    return { body: records?.items.map(compactJson).join('\n') ?? compactJson(document), contentType: type.contentType };
  }
  if (records === undefined) {
    throw csvCannotHold('a columnar response keyed by output name (send {"instances": ...} for one row per instance)');
  }
  return { body: csvText(records.key, records.items), contentType: type.contentType };
}

function recordsOf(document: JsonObject): { key: string; items: JsonValue[] } | undefined {
  for (const key of RECORD_KEYS) {
    const items = document.get(key);
    if (Array.isArray(items)) return { key, items };
  }
  return undefined;
}

/** A scalar is a one-field row and a list of scalars a row of fields, quoted as RFC 4180 requires. */
function csvText(key: string, items: JsonValue[]): string {
  const rows = items.map((item, index) => (Array.isArray(item) ? item : [item]).map((value) => csvField(value, key, index)));
  return stringify(rows).replace(/\n$/, '');
}

function csvField(value: JsonValue, key: string, index: number): string {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value === null) return '';
  const nested = Array.isArray(value) ? 'lists nested in lists' : 'objects (one value per output)';
  throw csvCannotHold(`item ${index} of ${key}, which holds ${nested}`);
}

/** Asked-for CSV that the response cannot be written as is refused like any other unusable Accept (415). */
function csvCannotHold(what: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `Unsupported Media Type in Accept: text/csv cannot hold ${what}; ask for application/json or application/jsonlines`,
  );
}
