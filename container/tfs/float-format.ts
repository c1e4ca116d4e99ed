/**
 * Floats printed as TensorFlow Serving prints them (json_tensor.cc WriteDecimal): printf `%g` with 6 significant
 * digits when that reads back as the same value, else `%.9g` (float32) / `%.17g` (float64); `.0` appended when the
 * text has neither `.` nor `e`; NaN and ±Infinity as bare literals. So 3.5 → `3.5`, 4 → `4.0`, float32 0.1 → `0.1`,
 * 9000000 → `9e+06`.
 */

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function formatFloat32(value: number): string {
  return formatDecimal(Math.fround(value), 9, (text) => Math.fround(Number(text)));
}

export function formatFloat64(value: number): string {
  return formatDecimal(value, 17, Number);
}

function formatDecimal(value: number, maxDigits: number, readBack: (text: string) => number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-Infinity' : 'Infinity';
  let text = formatG(value, 6);
  if (readBack(text) !== value) text = formatG(value, maxDigits);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** C's `%.<precision>g`. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toPrecision rounds as %g does and differs only in when it switches to exponent form (exponent < -6, not < -4)
  // and in keeping trailing zeros and a one-digit exponent.
  const text = value.toPrecision(precision);
  const e = text.indexOf('e');
  if (e >= 0) return exponentForm(text.slice(0, e), Number(text.slice(e + 1)));
  if (Math.abs(value) < 1e-4) {
    const [mantissa, exponent] = value.toExponential(precision - 1).split('e');
    if (Number(exponent) < -4) return exponentForm(mantissa, Number(exponent));
  }
  return stripTrailingZeros(text);
}

function exponentForm(mantissa: string, exponent: number): string {
  const magnitude = Math.abs(exponent);
  return `${stripTrailingZeros(mantissa)}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
}

function stripTrailingZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 0x30) end--;
  if (text.charCodeAt(end - 1) === 0x2e) end--;
  return text.slice(0, end);
}
