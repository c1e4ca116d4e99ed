/**
 * Media types as RFC 9110 writes them (`type/subtype; name=value; name="quoted value"`), for Content-Type and for
 * the ranges of an Accept header. The peer compared whole header strings, so `application/json; charset=utf-8`
 * was a 415 (B16.3); tfserve reads the type and its parameters instead.
 */

export interface MediaType {
  /** `type/subtype`, lower-cased: the part that names the format. */
  readonly essence: string;
  /** Names lower-cased, values unquoted and kept as written. */
  readonly parameters: ReadonlyMap<string, string>;
}

/** The JSON Lines names in use: SageMaker's own two, then the common spellings elsewhere (ndjson and friends). */
export const JSON_LINES_TYPES: readonly string[] = [
  'application/jsonlines',
  'application/jsons',
  'application/x-jsonlines',
  'application/json-lines',
  'application/x-ndjson',
  'application/ndjson',
];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The media type, or undefined when the text is not one (no `/`, a character a token cannot hold, a bare name). */
export function parseMediaType(text: string): MediaType | undefined {
  const [typeText, ...parameterTexts] = splitOutsideQuotes(text, ';');
  const [type, subtype, ...rest] = typeText.trim().split('/');
  if (rest.length > 0 || subtype === undefined || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const parameters = new Map<string, string>();
  for (const parameterText of parameterTexts) {
    // RFC 9110 allows empty parameters (`text/csv;;header=present`).
    if (parameterText.trim() === '') continue;
    const equals = parameterText.indexOf('=');
    if (equals < 0) return undefined;
    const name = parameterText.slice(0, equals).trim();
    const value = unquote(parameterText.slice(equals + 1).trim());
    if (!TOKEN.test(name) || value === undefined) return undefined;
    parameters.set(name.toLowerCase(), value);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters };
}

/** Splits on `separator` wherever it is not inside a quoted string, so `a="x,y", b` is two items. */
export function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string | undefined {
  if (!value.startsWith('"')) return TOKEN.test(value) ? value : undefined;
  if (value.length < 2 || !value.endsWith('"')) return undefined;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}
