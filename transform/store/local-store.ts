import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { checkRelativeKey, sortByKey } from './keys';
import type { AtomicWriter, ObjectStore, StoredObject } from './object-store';
import { ObjectStoreError } from './store-error';

/**
 * A local directory as an object store: every regular file below `root` (recursively) is an object keyed by its
 * `/`-separated path relative to `root`. Writes go to a temporary file in the target's directory and are renamed
 * over the target on commit, so a reader sees the whole object or nothing; a process killed mid-write leaves only
 * a hidden `.tfserve-partial-*` file, which listings skip.
 */

const PARTIAL = /^\.tfserve-partial-[0-9a-f]{16}-/;

export class LocalDirectoryStore implements ObjectStore {
  readonly uri: string;

  constructor(readonly root: string) {
    this.uri = root;
  }

  async list(): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const key = keyPrefix + entry.name;
        if (entry.isDirectory()) await walk(full, `${key}/`);
        else if (entry.isFile() && !PARTIAL.test(entry.name)) objects.push({ key, size: (await fs.stat(full)).size });
      }
    };
    await walk(this.root, '');
    return sortByKey(objects);
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    yield* createReadStream(this.pathOf(key));
  }

  /** The object's size; a missing object is an error naming it. */
  async size(key: string): Promise<number> {
    const file = this.pathOf(key);
    const stats = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new ObjectStoreError('not found', `${file} does not exist`, { cause: error });
      throw error;
    });
    if (!stats.isFile()) throw new ObjectStoreError('not found', `${file} is not a regular file`);
    return stats.size;
  }

  async createWriter(key: string): Promise<AtomicWriter> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // The random part makes the name unique; the (shortened) target name only helps a person tell what it was.
    const hint = path.basename(target).slice(0, 64);
    const temp = path.join(path.dirname(target), `.tfserve-partial-${randomBytes(8).toString('hex')}-${hint}`);
    return new LocalAtomicWriter(await fs.open(temp, 'wx'), temp, target);
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkRelativeKey(key, this.root).split('/'));
  }
}

/**
 * A response is often a few bytes (SingleRecord), and a file write per response cost more than the HTTP call that
 * produced it; chunks are gathered up to this size and written together. Nothing is visible before commit anyway.
 */
const WRITE_BATCH_BYTES = 256 * 1024;

class LocalAtomicWriter implements AtomicWriter {
  private closed = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly file: fs.FileHandle,
    private readonly temp: string,
    private readonly target: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.checkOpen('write');
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.writePending();
  }

  async commit(): Promise<void> {
    this.checkOpen('commit');
    this.closed = true;
    try {
      await this.writePending();
      await this.file.sync();
      await this.file.close();
      await fs.rename(this.temp, this.target);
    } catch (error) {
      await this.file.close().catch(() => undefined);
      await fs.rm(this.temp, { force: true });
      throw error;
    }
    await syncDirectory(path.dirname(this.target));
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }

  private async writePending(): Promise<void> {
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    // FileHandle.write may write less than asked (a full disk, a signal); loop until the data is down.
    for (let done = 0; done < data.length; ) done += (await this.file.write(data, done)).bytesWritten;
  }

  private checkOpen(action: string): void {
    if (this.closed) throw new ObjectStoreError('writer closed', `cannot ${action} ${this.target}: the writer was already committed or aborted`);
  }
}

/** Makes the rename itself durable; some filesystems cannot open a directory for sync, and then it is best effort. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
