import { sortByKey } from './keys';
import type { AtomicWriter, ObjectStore, StoredObject } from './object-store';
import { ObjectStoreError } from './store-error';

/**
 * Batch Transform's ManifestFile input: a JSON array whose first element names a prefix and whose other elements
 * are paths appended to it, `[{"prefix": "s3://bucket/some/prefix/"}, "relative/path/1", …]`. The prefix is joined
 * as a raw string (S3 keys) or as a directory (local manifests may name a local directory). Each path keys its
 * object, so it names the output `<path>.out`. Objects are listed sorted by key, as S3Prefix input is, and every
 * one must exist: a missing one is reported before any work starts.
 */

export interface Manifest {
  prefix: string;
  keys: string[];
}

export function parseManifest(text: string, source: string): Manifest {
  const bad = (problem: string) =>
    new ObjectStoreError('bad manifest', `${source}: ${problem} (expected [{"prefix": "s3://bucket/prefix/"}, "relative/path", ...])`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(document)) throw bad('not a JSON array');
  const [head, ...entries] = document as unknown[];
  const prefix = (head as { prefix?: unknown } | null)?.prefix;
  if (typeof head !== 'object' || head === null || typeof prefix !== 'string' || prefix === '') {
    throw bad('element 0 must be an object with a non-empty "prefix" string');
  }
  if (entries.length === 0) throw bad('it lists no objects');
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry === '') throw bad(`element ${i + 1} must be a non-empty string, got ${JSON.stringify(entry)}`);
    if (seen.has(entry)) throw bad(`element ${i + 1} repeats ${JSON.stringify(entry)}, which would name two outputs alike`);
    seen.add(entry);
  });
  return { prefix, keys: entries as string[] };
}

/** A store that can tell an object's size without listing: what a manifest's entries are checked with. */
export interface SizedStore extends ObjectStore {
  size(key: string): Promise<number>;
}

/** Head requests in flight at once while checking a manifest's entries. */
const SIZE_CONCURRENCY = 8;

/** The manifest's objects, read and written through the store its prefix names. */
export class ManifestStore implements ObjectStore {
  constructor(
    readonly uri: string,
    private readonly base: SizedStore,
    private readonly keys: readonly string[],
  ) {}

  async list(): Promise<StoredObject[]> {
    const objects: StoredObject[] = new Array(this.keys.length);
    let next = 0;
    const worker = async () => {
      while (next < this.keys.length) {
        const i = next++;
        objects[i] = { key: this.keys[i], size: await this.sizeOf(this.keys[i]) };
      }
    };
    await Promise.all(Array.from({ length: Math.min(SIZE_CONCURRENCY, this.keys.length) }, worker));
    return sortByKey(objects);
  }

  private async sizeOf(key: string): Promise<number> {
    try {
      return await this.base.size(key);
    } catch (error) {
      if (!(error instanceof ObjectStoreError)) throw error;
      throw new ObjectStoreError(error.problem, `manifest ${this.uri}, entry ${JSON.stringify(key)}: ${error.message}`, { cause: error });
    }
  }

  read(key: string): AsyncIterable<Uint8Array> {
    return this.base.read(key);
  }

  createWriter(key: string): Promise<AtomicWriter> {
    return this.base.createWriter(key);
  }
}
