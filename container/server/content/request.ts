import { InvalidArgumentError, UnsupportedMediaTypeError } from '../../errors';
import type { DecodedPredictRequest } from '../../tfs/predict-request';
import { decodeCsv } from './csv-request';
import { decodeFloatJson, decodeFloatJsonLines } from './float-json-request';
import { decodeJson, decodeJsonLines } from './json-request';
import { JSON_LINES_TYPES, parseMediaType, type MediaType } from './media-type';
import { decodeRecordBody, RECORD_TYPES, type RecordTarget } from './record-request';

/**
 * The `/invocations` body in its Content-Type (JSON, JSON Lines, CSV or binary tf.Example records) → the TensorFlow
 * Serving request JSON text the model is called with (B5.1), or, where tfserve can decode the body into the
 * signature's tensors itself (numbers for a float input, tf.Example records), the tensors: the model then does not
 * parse again what tfserve has just read or written. Unlike the peer, parameters are read rather than making the type unknown:
 * `application/json; charset=utf-8` is JSON, `text/csv; header=present` is CSV with a header row.
 */

/** Both are read as UTF-8, of which US-ASCII is a subset; `utf8` is a common misspelling worth accepting. */
const READABLE_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

// ignoreBOM false (the default) drops a leading byte-order mark, which Windows tools write before CSV and JSON.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `model` decides how binary record bodies (record-request.ts) become a request, and whether a text body may be
 * decoded into tensors; without it, text bodies become text.
 */
export function decodeRequest(body: Buffer, contentType: string | undefined, model?: RecordTarget): string | DecodedPredictRequest {
  const predictSignatures = model?.method === 'predict' ? model.signatures : undefined;
  const json = () => (predictSignatures && decodeFloatJson(body, predictSignatures)) ?? decodeJson(bodyText(body));
  const declared = contentType?.trim() ?? '';
  // The peer and TF Serving read a body without a Content-Type as JSON.
  if (declared === '') return json();
  const mediaType = parseMediaType(declared);
  if (mediaType === undefined) throw unsupported(declared);
  requireReadableCharset(mediaType, declared);
  if (mediaType.essence === 'application/json') return json();
  if (JSON_LINES_TYPES.includes(mediaType.essence)) {
    return (predictSignatures && decodeFloatJsonLines(body, predictSignatures)) ?? decodeJsonLines(bodyText(body));
  }
  if (mediaType.essence === 'text/csv') return decodeCsv(bodyText(body), csvHasHeader(mediaType, declared));
  if (RECORD_TYPES.includes(mediaType.essence) && model !== undefined) return decodeRecordBody(body, mediaType, model);
  throw unsupported(declared);
}

function requireReadableCharset(mediaType: MediaType, declared: string): void {
  const charset = mediaType.parameters.get('charset');
  if (charset === undefined || READABLE_CHARSETS.has(charset.toLowerCase())) return;
  throw unsupported(declared, `charset ${charset} is not supported; send utf-8`);
}

/** RFC 4180's `header` parameter: `present` or `absent` (the default, as the peer has no header handling). */
function csvHasHeader(mediaType: MediaType, declared: string): boolean {
  const header = mediaType.parameters.get('header')?.toLowerCase() ?? 'absent';
  if (header === 'present' || header === 'absent') return header === 'present';
  throw unsupported(declared, `header must be present or absent, not ${header}`);
}

function bodyText(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new InvalidArgumentError('The request body is not valid UTF-8');
  }
}

function unsupported(declared: string, reason?: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(`Unsupported Media Type: ${declared}${reason === undefined ? '' : ` (${reason})`}`);
}
