/** Shard naming and assignment for `tfserve records pack`. */

/** `part-00000-of-00004.tfrecord`: the spelling TensorFlow's and Spark's sharded writers use. */
export function shardName(index: number, count: number, extension = '.tfrecord'): string {
  const digits = (n: number) => String(n).padStart(5, '0');
  return `part-${digits(index)}-of-${digits(count)}${extension}`;
}

/**
 * `items` (already sorted) cut into `shards` contiguous groups whose sizes differ by at most one, so reading the
 * shards in name order gives the items in their sorted order. More shards than items leaves some groups empty.
 */
export function groupIntoShards<T>(items: readonly T[], shards: number): T[][] {
  const groups: T[][] = Array.from({ length: shards }, () => []);
  items.forEach((item, index) => groups[Math.floor((index * shards) / items.length)].push(item));
  return groups;
}
