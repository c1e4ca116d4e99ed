/**
 * mulberry32: a tiny seeded 32-bit generator, so generated weights and inputs are the same on every run and
 * machine (Math.random cannot be seeded). Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` floats drawn uniformly from [low, high). */
export function uniformFloats(next: () => number, count: number, low: number, high: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = low + (high - low) * next();
  return values;
}
