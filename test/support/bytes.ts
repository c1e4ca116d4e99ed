/** Test data helpers for byte-level codecs. */
export const ascii = (text: string) => new TextEncoder().encode(text);

/** Deterministic pseudo-random bytes (xorshift32), for round trips that must not depend on Math.random. */
export function noise(length: number, seed = 0x12345678): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
