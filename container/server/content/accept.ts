import { UnsupportedMediaTypeError } from '../../errors';
import { JSON_LINES_TYPES, parseMediaType, splitOutsideQuotes } from './media-type';

/**
 * The `Accept` header → the response type (RFC 9110 §12.5.1 proactive negotiation): q-values, `*\/*` and `type/*`
 * ranges, the most specific range deciding a type's q, and parameters other than q ignored. The peer split the
 * header on commas after removing one space and set Content-Type to whatever came first, even `text/csv` over a
 * JSON body (B5.5); tfserve answers in the type it names.
 */

export type ResponseFormat = 'json' | 'jsonlines' | 'csv';

export interface ResponseType {
  readonly format: ResponseFormat;
  /** The Content-Type to answer with: the JSON Lines spelling the client asked for, e.g. `application/x-ndjson`. */
  readonly contentType: string;
}

export const JSON_RESPONSE: ResponseType = { format: 'json', contentType: 'application/json' };
export const JSON_LINES_RESPONSE: ResponseType = { format: 'jsonlines', contentType: 'application/jsonlines' };

/** In tfserve's order of preference, which settles ties such as `*\/*` or `application/*`. */
const OFFERED: readonly ResponseType[] = [
  JSON_RESPONSE,
  ...JSON_LINES_TYPES.map((contentType): ResponseType => ({ format: 'jsonlines', contentType })),
  { format: 'csv', contentType: 'text/csv' },
];

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  /** Position in the header: among equally weighted, equally specific matches the client's first wins. */
  readonly position: number;
}

interface Match {
  readonly offered: ResponseType;
  readonly q: number;
  /** 2 for `type/subtype`, 1 for `type/*`, 0 for `*\/*`. */
  readonly specificity: number;
  readonly position: number;
}

/** RFC 9110 weight: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** `preferred` answers a missing Accept and wins ties (`*\/*`); record bodies prefer JSON Lines, one line per record. */
export function negotiateResponseType(accept: string | undefined, preferred: ResponseType = JSON_RESPONSE): ResponseType {
  if (accept === undefined || accept.trim() === '') return preferred;
  const ranges = parseAccept(accept);
  const candidates = [preferred, ...OFFERED.filter((type) => type.contentType !== preferred.contentType)];
  const matches = candidates.map((candidate) => bestMatch(candidate, ranges)).filter(
    (match): match is Match => match !== undefined && match.q > 0,
  );
  if (matches.length === 0) {
    throw new UnsupportedMediaTypeError(
      `Unsupported Media Type in Accept: ${accept.trim()} (tfserve answers application/json, ` +
        `${JSON_LINES_TYPES.join(', ')} or text/csv)`,
    );
  }
  // Stable sort: equal matches keep the offered order.
  return matches.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.position - b.position)[0].offered;
}

/** Ranges that are not media ranges, or whose q is not a weight, are skipped: they can name nothing. */
function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  splitOutsideQuotes(accept, ',').forEach((text, position) => {
    if (text.trim() === '') return;
    const mediaType = parseMediaType(text);
    if (mediaType === undefined) return;
    const [type, subtype] = mediaType.essence.split('/');
    const qText = mediaType.parameters.get('q') ?? '1';
    if (!QVALUE.test(qText) || (type === '*' && subtype !== '*')) return;
    ranges.push({ type, subtype, q: Number(qText), position });
  });
  return ranges;
}

/** The most specific range that covers the type decides its q (`text/csv;q=0, *\/*` refuses CSV only). */
function bestMatch(offered: ResponseType, ranges: MediaRange[]): Match | undefined {
  let best: Match | undefined;
  for (const range of ranges) {
    const specificity = coverage(range, offered.contentType);
    if (specificity === undefined || (best !== undefined && best.specificity >= specificity)) continue;
    best = { offered, q: range.q, specificity, position: range.position };
  }
  return best;
}

/** How specifically the range names the media type, or undefined when it does not cover it. */
function coverage(range: MediaRange, mediaType: string): number | undefined {
  const [type, subtype] = mediaType.split('/');
  if (range.type === '*') return 0;
  if (range.type !== type) return undefined;
  if (range.subtype === '*') return 1;
  return range.subtype === subtype ? 2 : undefined;
}
