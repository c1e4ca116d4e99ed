import { parseManifest } from '../../../transform/store/manifest';

describe('parseManifest', () => {
  it('reads the prefix and the relative paths', () => {
    expect(parseManifest('[{"prefix": "s3://b/p/"}, "x/1.csv", "2.csv"]', 'm.json')).toEqual({ prefix: 's3://b/p/', keys: ['x/1.csv', '2.csv'] });
  });

  it.each([
    ['not json', /m\.json: not JSON/],
    ['{"prefix": "s3://b/"}', /not a JSON array/],
    ['["s3://b/", "a"]', /element 0 must be an object with a non-empty "prefix"/],
    ['[{"prefix": ""}, "a"]', /element 0 must be an object/],
    ['[{"prefix": "s3://b/"}]', /lists no objects/],
    ['[{"prefix": "s3://b/"}, "a", 3]', /element 2 must be a non-empty string, got 3/],
    ['[{"prefix": "s3://b/"}, "a", "a"]', /element 2 repeats "a"/],
  ])('names the problem in %s', (text, message) => {
    expect(() => parseManifest(text, 'm.json')).toThrow(message);
  });
});
