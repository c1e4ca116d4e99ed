import { InvalidArgumentError } from '../errors';

/**
 * A JSON parser with TensorFlow Serving's (rapidjson's) semantics: numbers keep their source text, so int64 values
 * stay exact and `1` (an integer) stays distinct from `1.0` (a double); `NaN`, `Inf`, `Infinity` are accepted as
 * TFS does (kParseNanAndInfFlag); errors read `JSON Parse error: <rapidjson message> at offset: <byte offset>`.
 * JSON.parse can do none of this on Node 20.
 */

export class JsonNumber {
  constructor(
    /** The number as written in the request, e.g. `1`, `-2.50`, `9007199254740993`, `NaN`. */
    readonly text: string,
    readonly value: number,
  ) {}

  /** Written without fraction or exponent (rapidjson's Int/Int64/Uint64 kinds, when in range). */
  get isIntegerLiteral(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
/** Objects keep member order, as rapidjson does. */
export type JsonObject = Map<string, JsonValue>;

export function isJsonObject(value: JsonValue): value is JsonObject {
  return value instanceof Map;
}

/** Deeper nesting than any tensor rank TensorFlow allows (254) is an attack, not a request. */
const MAX_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJson(bytes: Uint8Array): JsonValue {
  if (bytes.length === 0) throw new InvalidArgumentError('JSON Parse error: The document is empty');
  try {
    return new Parser(bytes).document();
  } catch (error) {
    if (error instanceof ParseError) {
      throw new InvalidArgumentError(`JSON Parse error: ${error.message} at offset: ${error.offset}`);
    }
    throw error;
  }
}

class Parser {
  private pos = 0;
  /** The same memory, for cheap ASCII slices of number text. */
  private readonly ascii: Buffer;

  constructor(private readonly bytes: Uint8Array) {
    this.ascii = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  document(): JsonValue {
    this.skipWhitespace();
    if (this.pos >= this.bytes.length) throw new ParseError('The document is empty.', this.pos);
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos < this.bytes.length) {
      throw new ParseError('The document root must not be followed by other values.', this.pos);
    }
    return value;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new ParseError(`Nesting deeper than ${MAX_DEPTH} levels.`, this.pos);
    const c = this.bytes[this.pos];
    switch (c) {
      case 0x7b: // {
        return this.object(depth);
      case 0x5b: // [
        return this.array(depth);
      case QUOTE:
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.pos + i] !== word.charCodeAt(i)) throw new ParseError('Invalid value.', this.pos);
    }
    this.pos += word.length;
    return value;
  }

  private object(depth: number): JsonObject {
    const members: JsonObject = new Map();
    this.pos++;
    this.skipWhitespace();
    if (this.bytes[this.pos] === 0x7d) {
      this.pos++;
      return members;
    }
    for (;;) {
      if (this.bytes[this.pos] !== QUOTE) throw new ParseError('Missing a name for object member.', this.pos);
      const name = this.string();
      this.skipWhitespace();
      if (this.bytes[this.pos] !== 0x3a) throw new ParseError('Missing a colon after a name of object member.', this.pos);
      this.pos++;
      this.skipWhitespace();
      members.set(name, this.value(depth + 1));
      this.skipWhitespace();
      const c = this.bytes[this.pos];
      this.pos++;
      if (c === 0x7d) return members;
      if (c !== 0x2c) throw new ParseError("Missing a comma or '}' after an object member.", this.pos - 1);
      this.skipWhitespace();
    }
  }

  private array(depth: number): JsonValue[] {
    const items: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.bytes[this.pos] === 0x5d) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const c = this.bytes[this.pos];
      this.pos++;
      if (c === 0x5d) return items;
      if (c !== 0x2c) throw new ParseError("Missing a comma or ']' after an array element.", this.pos - 1);
      this.skipWhitespace();
    }
  }

  private string(): string {
    const start = ++this.pos;
    const { bytes } = this;
    // Fast path: no escapes, decode the byte range in one go.
    while (this.pos < bytes.length && bytes[this.pos] !== QUOTE && bytes[this.pos] !== BACKSLASH && bytes[this.pos] >= 0x20) {
      this.pos++;
    }
    let text = this.decode(start, this.pos);
    for (;;) {
      if (this.pos >= bytes.length) throw new ParseError('Missing a closing quotation mark in string.', this.pos);
      const c = bytes[this.pos];
      if (c === QUOTE) {
        this.pos++;
        return text;
      }
      if (c < 0x20) {
        throw new ParseError(c === 0 ? 'Missing a closing quotation mark in string.' : 'Invalid encoding in string.', this.pos);
      }
      if (c === BACKSLASH) {
        text += this.escape();
      } else {
        const runStart = this.pos;
        while (this.pos < bytes.length && bytes[this.pos] !== QUOTE && bytes[this.pos] !== BACKSLASH && bytes[this.pos] >= 0x20) {
          this.pos++;
        }
        text += this.decode(runStart, this.pos);
      }
    }
  }

  private decode(start: number, end: number): string {
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      throw new ParseError('Invalid encoding in string.', start);
    }
  }

  private escape(): string {
    const escapeStart = this.pos;
    const c = this.bytes[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        const unit = this.hex4();
        if (unit >= 0xd800 && unit <= 0xdbff) {
          if (this.bytes[this.pos] !== BACKSLASH || this.bytes[this.pos + 1] !== 0x75) {
            throw new ParseError('The surrogate pair in string is invalid.', this.pos);
          }
          this.pos += 2;
          const low = this.hex4();
          if (low < 0xdc00 || low > 0xdfff) throw new ParseError('The surrogate pair in string is invalid.', this.pos);
          return String.fromCharCode(unit, low);
        }
        return String.fromCharCode(unit);
      }
      default:
        throw new ParseError('Invalid escape character in string.', escapeStart);
    }
  }

  private hex4(): number {
    const digits = this.ascii.toString('latin1', this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new ParseError('Incorrect hex digit after \\u escape in string.', this.pos);
    this.pos += 4;
    return parseInt(digits, 16);
  }

  private number(): JsonNumber {
    const start = this.pos;
    const { bytes } = this;
    if (bytes[this.pos] === 0x2d) this.pos++; // -
    const special = this.nanOrInfinity(start);
    if (special) return special;
    if (bytes[this.pos] === 0x30) {
      this.pos++;
    } else if (isDigit(bytes[this.pos]) && bytes[this.pos] !== 0x30) {
      while (isDigit(bytes[this.pos])) this.pos++;
    } else {
      throw new ParseError('Invalid value.', start);
    }
    if (bytes[this.pos] === 0x2e) {
      this.pos++;
      if (!isDigit(bytes[this.pos])) throw new ParseError('Miss fraction part in number.', this.pos);
      while (isDigit(bytes[this.pos])) this.pos++;
    }
    if (bytes[this.pos] === 0x65 || bytes[this.pos] === 0x45) {
      this.pos++;
      if (bytes[this.pos] === 0x2b || bytes[this.pos] === 0x2d) this.pos++;
      if (!isDigit(bytes[this.pos])) throw new ParseError('Miss exponent in number.', this.pos);
      while (isDigit(bytes[this.pos])) this.pos++;
    }
    const text = this.ascii.toString('latin1', start, this.pos);
    const value = Number(text);
    if (!Number.isFinite(value)) throw new ParseError('Number too big to be stored in double.', start);
    return new JsonNumber(text, value);
  }

  private nanOrInfinity(start: number): JsonNumber | undefined {
    const negative = this.pos > start;
    for (const word of ['NaN', 'Infinity', 'Inf']) {
      if (this.matches(word)) {
        if (word === 'NaN' && negative) throw new ParseError('Invalid value.', start);
        this.pos += word.length;
        const value = word === 'NaN' ? NaN : negative ? -Infinity : Infinity;
        return new JsonNumber(this.ascii.toString('latin1', start, this.pos), value);
      }
    }
    return undefined;
  }

  private matches(word: string): boolean {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.pos + i] !== word.charCodeAt(i)) return false;
    }
    return true;
  }

  private skipWhitespace(): void {
    this.pos = skipSpace(this.bytes, this.pos);
  }
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The index of the first byte from `at` on that is not whitespace. */
export function skipSpace(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i < bytes.length && isJsonSpace(bytes[i])) i++;
  return i;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}
