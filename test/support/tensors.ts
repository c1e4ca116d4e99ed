import type { Tensor } from '../../container/formats/tensor';

/** Small constructors and readers that keep engine assertions short and exact. */
export const f32 = (values: number[], shape = [values.length]): Tensor => ({ dtype: 'float32', shape, values: Float32Array.from(values) });
export const i32 = (values: number[], shape = [values.length]): Tensor => ({ dtype: 'int32', shape, values: Int32Array.from(values) });
export const i64 = (values: bigint[], shape = [values.length]): Tensor => ({ dtype: 'int64', shape, values: BigInt64Array.from(values) });
export const strings = (values: Uint8Array[], shape = [values.length]): Tensor => ({ dtype: 'string', shape, values });

/** A tensor as a plain `{dtype, shape, values}` object with values in a plain array, for toEqual. */
export function plain(t: Tensor): { dtype: string; shape: number[]; values: unknown[] } {
  return { dtype: t.dtype, shape: t.shape, values: Array.from(t.values as ArrayLike<unknown>) };
}
