import { groupIntoShards, shardName } from '../../../transform/records/shards';

describe('shardName', () => {
  it('spells shards like TensorFlow and Spark writers', () => {
    expect(shardName(0, 4)).toBe('part-00000-of-00004.tfrecord');
    expect(shardName(12, 100, '.rec')).toBe('part-00012-of-00100.rec');
  });
});

describe('groupIntoShards', () => {
  it('cuts sorted items into contiguous groups differing by at most one', () => {
    expect(groupIntoShards(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    expect(groupIntoShards([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5], [6, 7]]);
  });

  it('keeps every item once, in order, for many sizes', () => {
    for (let items = 1; items <= 30; items++) {
      for (let shards = 1; shards <= 8; shards++) {
        const all = Array.from({ length: items }, (_, i) => i);
        const groups = groupIntoShards(all, shards);
        expect(groups.flat()).toEqual(all);
        const sizes = groups.map((g) => g.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('leaves groups empty when there are more shards than items', () => {
    expect(groupIntoShards(['a', 'b'], 4)).toEqual([['a'], [], ['b'], []]);
  });
});
