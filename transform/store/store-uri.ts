import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectStoreError } from './store-error';

/**
 * Where a store lives: `s3://bucket/prefix` (the prefix is a raw key prefix, possibly empty), or a local path
 * (`file:///abs/path`, an absolute path or one relative to the working directory). Other schemes are errors.
 */
export type StoreLocation = { kind: 's3'; bucket: string; prefix: string } | { kind: 'local'; path: string };

/** S3's rules for bucket names created since 2018: 3–63 characters, lower-case letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function parseStoreUri(uri: string): StoreLocation {
  const scheme = SCHEME.exec(uri)?.[1].toLowerCase();
  if (scheme === undefined) {
    if (uri.trim() === '') throw new ObjectStoreError('bad uri', 'an empty location: give s3://bucket/prefix or a local path');
    return { kind: 'local', path: path.resolve(uri) };
  }
  if (scheme === 'file') return { kind: 'local', path: fileURLToPath(uri) };
  if (scheme !== 's3') {
    throw new ObjectStoreError('bad uri', `${uri}: unsupported scheme ${scheme}:// (give s3://bucket/prefix or a local path)`);
  }
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket)) {
    throw new ObjectStoreError('bad uri', `${uri}: ${JSON.stringify(bucket)} is not an S3 bucket name (3-63 of a-z 0-9 . -)`);
  }
  return { kind: 's3', bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

/** `s3://bucket/prefix` back from its parts. */
export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The "directory" of a raw key prefix: everything up to its last `/`. Keys are named relative to it, as the SDK's
 * local mode does: `s3://b/in/` and `s3://b/in/a` both name `in/a.csv` `a.csv`; the raw prefix `in/a` also
 * matches `in/a_2/x`, named `a_2/x`.
 */
export function prefixDirectory(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** An output prefix as a directory: `out` and `out/` both write `out/<key>`; an empty prefix writes at the root. */
export function asDirectoryPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
