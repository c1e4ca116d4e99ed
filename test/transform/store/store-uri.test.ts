import * as path from 'node:path';
import { asDirectoryPrefix, parseStoreUri, prefixDirectory } from '../../../transform/store/store-uri';

describe('parseStoreUri', () => {
  it('reads s3 URIs with and without a prefix', () => {
    expect(parseStoreUri('s3://my-bucket/in/data')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'in/data' });
    expect(parseStoreUri('s3://my-bucket/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseStoreUri('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
  });

  it('reads local paths and file URLs', () => {
    expect(parseStoreUri('rel/dir')).toEqual({ kind: 'local', path: path.resolve('rel/dir') });
    expect(parseStoreUri('file:///tmp/x')).toEqual({ kind: 'local', path: '/tmp/x' });
  });

  it.each([
    ['', /empty location/],
    ['s3://', /is not an S3 bucket name/],
    ['s3://Bad_Bucket/x', /"Bad_Bucket" is not an S3 bucket name/],
    ['https://bucket.s3.amazonaws.com/x', /unsupported scheme https:\/\//],
  ])('refuses %j', (uri, message) => {
    expect(() => parseStoreUri(uri)).toThrow(message);
  });
});

describe('prefixes', () => {
  it('names keys relative to the directory of a raw prefix', () => {
    expect(prefixDirectory('in/data')).toBe('in/');
    expect(prefixDirectory('in/data/')).toBe('in/data/');
    expect(prefixDirectory('data')).toBe('');
  });

  it('writes output below the prefix as a directory', () => {
    expect(asDirectoryPrefix('out')).toBe('out/');
    expect(asDirectoryPrefix('out/')).toBe('out/');
    expect(asDirectoryPrefix('')).toBe('');
  });
});
