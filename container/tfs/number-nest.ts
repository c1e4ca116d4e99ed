import { skipSpace } from './json-parse';

/**
 * A fast reader for the JSON most predict bodies are made of: numbers nested in lists (an image, a feature vector).
 * It reads the bytes once, straight into a Float64Array, where the general reader (json-parse.ts) first builds a
 * tree with a literal-keeping object per number, ten times slower. It reads only what it can read exactly as the
 * general path would and answers undefined for anything else (strings, objects, NaN, empty or ragged lists, a
 * syntax error), so that the general path decides, with TF Serving's messages.
 */

export interface NumberNest {
  /** The size of each level, as json-to-tensor.ts denseShape reads it; every list at a level has that size. */
  shape: number[];
  /** The numbers in row-major order, each as JSON readers read a literal: the nearest double. */
  values: Float64Array;
  /** The largest magnitude among integer literals (`3`, `-12`): what decides whether a float type holds them exactly. */
  maxIntegerLiteral: number;
  /** The largest magnitude among the other literals (`3.0`, `1e5`). */
  maxOtherLiteral: number;
  /** Where the nest ends: the index after its closing `]`. */
  end: number;
}

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/** Powers of ten a double holds exactly: a mantissa below 2^53 times or divided by one of them rounds correctly. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, e) => Number(`1e${e}`));
/** Significant digits that always fit below 2^53. */
const FAST_DIGITS = 15;
/** Far deeper than tensors go; deeper nests are left to the general reader, which has its own limit and message. */
const MAX_DEPTH = 32;

/** Where the numbers go while a nest is read (reading is synchronous, so one buffer serves every call); kept as it grows. */
let scratch: Float64Array = new Float64Array(4096);

/** The nest starting at `start` (which must be `[`), or undefined when it is anything but a full list of lists of numbers. */
export function readNumberNest(bytes: Uint8Array, start: number): NumberNest | undefined {
  if (bytes[start] !== OPEN) return undefined;
  /** Each level's size, that of its first list (as denseShape reads it); -1 until that list closes. */
  const shape = new Int32Array(MAX_DEPTH).fill(-1);
  /** How many elements the open list at each level holds so far. */
  const lengths = new Int32Array(MAX_DEPTH);
  let values = scratch;
  let count = 0;
  let rank = -1;
  let depth = 0;
  let maxIntegerLiteral = 0;
  let maxOtherLiteral = 0;
  let i = start;
  for (;;) {
    if (bytes[i] <= 0x20) i = skipSpace(bytes, i);
    if (bytes[i] === OPEN) {
      if ((rank >= 0 && depth >= rank) || depth === MAX_DEPTH) return undefined;
      lengths[depth++] = 0;
      i++;
      continue;
    }
    if (rank < 0) rank = depth;
    else if (depth !== rank) return undefined;
    const value = readNumber(bytes, i);
    if (value !== value) return undefined; // NaN: not a number literal
    if (count === values.length) values = scratch = grown(values);
    values[count++] = value;
    const magnitude = value < 0 ? -value : value;
    if (numberIsInteger) {
      if (magnitude > maxIntegerLiteral) maxIntegerLiteral = magnitude;
    } else if (magnitude > maxOtherLiteral) {
      maxOtherLiteral = magnitude;
    }
    i = numberEnd;
    // The element just read (a number, then each list it closes) counts in the list around it.
    for (;;) {
      lengths[depth - 1]++;
      if (bytes[i] <= 0x20) i = skipSpace(bytes, i);
      const c = bytes[i++];
      if (c === COMMA) break;
      if (c !== CLOSE) return undefined;
      const level = depth - 1;
      if (shape[level] < 0) shape[level] = lengths[level];
      else if (shape[level] !== lengths[level]) return undefined;
      depth--;
      if (depth === 0) {
        return { shape: Array.from(shape.subarray(0, rank)), values: values.slice(0, count), maxIntegerLiteral, maxOtherLiteral, end: i };
      }
    }
  }
}

function grown(values: Float64Array): Float64Array {
  const larger = new Float64Array(values.length * 2);
  larger.set(values);
  return larger;
}

/**
 * Where the last readNumber call ended and whether its literal was an integer (no fraction, no exponent): module
 * state rather than a result object, which would be one allocation per number.
 */
let numberEnd = 0;
let numberIsInteger = false;

/**
 * One JSON number literal, strictly by the grammar (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); NaN for anything
 * else, including literals whose value is not finite. Up to 15 significant digits and a power of ten up to 22 it
 * computes the double itself (Clinger's fast path, exact); otherwise Number() reads the text.
 */
function readNumber(bytes: Uint8Array, start: number): number {
  let i = start;
  const negative = bytes[i] === MINUS;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let c = bytes[i];
  if (c === ZERO) {
    c = bytes[++i];
  } else if (c > ZERO && c <= NINE) {
    do {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = bytes[++i];
    } while (c >= ZERO && c <= NINE);
  } else {
    return NaN;
  }
  let integer = true;
  if (c === DOT) {
    integer = false;
    c = bytes[++i];
    if (!(c >= ZERO && c <= NINE)) return NaN;
    do {
      if (mantissa !== 0 || c !== ZERO) digits++;
      mantissa = mantissa * 10 + (c - ZERO);
      scale--;
      c = bytes[++i];
    } while (c >= ZERO && c <= NINE);
  }
  let exponent = 0;
  if (c === LOWER_E || c === UPPER_E) {
    integer = false;
    c = bytes[++i];
    const exponentNegative = c === MINUS;
    if (exponentNegative || c === PLUS) c = bytes[++i];
    if (!(c >= ZERO && c <= NINE)) return NaN;
    do {
      // capped: beyond it the value is 0 or infinite anyway, and Number() reads it
      exponent = Math.min(exponent * 10 + (c - ZERO), 100_000);
      c = bytes[++i];
    } while (c >= ZERO && c <= NINE);
    if (exponentNegative) exponent = -exponent;
  }
  const power = scale + exponent;
  let value: number;
  if (digits <= FAST_DIGITS && power > -EXACT_POWERS_OF_TEN.length && power < EXACT_POWERS_OF_TEN.length) {
    value = power >= 0 ? mantissa * EXACT_POWERS_OF_TEN[power] : mantissa / EXACT_POWERS_OF_TEN[-power];
    if (negative) value = -value;
  } else {
    value = Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1'));
  }
  numberEnd = i;
  numberIsInteger = integer;
  return Number.isFinite(value) ? value : NaN;
}
