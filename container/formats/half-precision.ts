/**
 * float16 and bfloat16 words (IEEE 754 binary16, and the top half of binary32) ↔ numbers, rounding to nearest even.
 * Tensors keep these dtypes as raw 16-bit words (see tensor.ts); these are the only conversions.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float16ToNumber(word: number): number {
  const sign = word & 0x8000 ? -1 : 1;
  const exponent = (word >> 10) & 0x1f;
  const fraction = word & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function numberToFloat16(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    // subnormal half: the implicit leading 1 becomes explicit and shifts right
    return sign | roundShift(mantissa | 0x800000, 14 - halfExponent);
  }
  // a rounding carry out of the mantissa correctly bumps the exponent (up to Infinity)
  return sign | roundShift((halfExponent << 23) | mantissa, 13);
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && kept & 1) ? kept + 1 : kept;
}

export function bfloat16ToNumber(word: number): number {
  u32[0] = word << 16;
  return f32[0];
}

export function numberToBfloat16(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  if (Number.isNaN(value)) return (bits >>> 16) | 0x40; // keep it a (quiet) NaN after truncation
  return roundShift(bits, 16);
}
