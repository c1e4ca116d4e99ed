import { ObjectStoreError } from './store-error';
import type { StoredObject } from './object-store';

/**
 * Object keys as Batch Transform orders and names them. S3 lists keys in UTF-8 byte order; JavaScript's `<` compares
 * UTF-16 code units, which disagrees for characters above U+FFFF against U+E000–U+FFFF, so keys are compared as bytes.
 */

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortByKey(objects: StoredObject[]): StoredObject[] {
  const withBytes = objects.map((object) => ({ object, bytes: Buffer.from(object.key, 'utf8') }));
  withBytes.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return withBytes.map(({ object }) => object);
}

/**
 * A key that can name a file below a directory: `/`-separated, no empty, `.` or `..` segment, no NUL or backslash.
 * S3 allows all of those, so an S3 key is checked here before it becomes a local path, never to escape the root.
 */
export function checkRelativeKey(key: string, where: string): string {
  const segments = key.split('/');
  const bad = segments.find((segment) => segment === '' || segment === '.' || segment === '..');
  if (key === '' || bad !== undefined || /[\0\\]/.test(key)) {
    throw new ObjectStoreError(
      'bad key',
      `${where}: key ${JSON.stringify(key)} cannot name a file: keys are /-separated names without empty, "." or ".." segments, NUL or backslash`,
    );
  }
  return key;
}
