import { crc32c as jsCrc32c } from './crc32c';

/**
 * CRC-32C that uses @node-rs/crc32's hardware-accelerated native `crc32c` for large inputs and the pure-JS
 * slicing-by-8 one for small ones. A native call costs ~70-180 ns of N-API overhead, which is more than JS takes for
 * the 8-byte TFRecord length, so inputs below NATIVE_MIN_BYTES stay in JS (see spec batch-transform.md §10).
 */

type Crc32cFn = (bytes: Uint8Array, initial?: number) => number;

/** Below this size the JS loop finishes before a native call would have returned (measured on Node 20, x64). */
export const NATIVE_MIN_BYTES = 256;

let native: Crc32cFn | null | undefined;

/**
 * The native implementation, or null where the optional package is absent (`npm ci --omit=optional`, another
 * platform): loaded on first use so that a missing prebuilt never stops tfserve from starting.
 */
export function nativeCrc32c(): Crc32cFn | null {
  if (native === undefined) {
    try {
      native = (require('@node-rs/crc32') as { crc32c: Crc32cFn }).crc32c;
    } catch {
      native = null;
    }
  }
  return native;
}

/** CRC-32C of `bytes`, continuing from `initial` like crc32c(): the fastest implementation for the size at hand. */
export function fastCrc32c(bytes: Uint8Array, initial = 0): number {
  if (bytes.length >= NATIVE_MIN_BYTES) {
    const nativeFn = nativeCrc32c();
    if (nativeFn) return nativeFn(bytes, initial);
  }
  return jsCrc32c(bytes, initial);
}
