import { randomUUID } from 'node:crypto';
import { types } from 'node:util';

/**
 * JSON text of a value hooks build: what JSON.stringify writes, plus `bigint` values written exactly (JSON.stringify
 * throws on them; int64 tensors need them) and typed arrays written as arrays (JSON.stringify writes
 * `{"0": …, "1": …}`). A Buffer keeps its own toJSON (`{"type": "Buffer", "data": […]}`).
 */
export function toJsonText(value: unknown): string | undefined {
  // A marker no string can collide with in practice: a bigint becomes "<marker><digits>", then loses its quotes.
  const marker = `bigint-${randomUUID()}:`;
  let sawBigInt = false;
  const text = JSON.stringify(value, (_key, member: unknown) => {
    if (typeof member === 'bigint') {
      sawBigInt = true;
      return `${marker}${member}`;
    }
    return types.isTypedArray(member) ? Array.from(member as ArrayLike<unknown>) : member;
  }) as string | undefined;
  return sawBigInt && text !== undefined ? text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1') : text;
}
