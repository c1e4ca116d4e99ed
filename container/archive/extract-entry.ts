import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadEntry } from 'tar';
import { DIR_MODE, FILE_MODE } from './tar-writer';

/**
 * Writes one entry that `EntryChecker` passed under `root`. The path is re-checked against `root` anyway (defence
 * in depth: a bug upstream must not become a write outside), files are created exclusively (never through
 * something already there), and modes are fixed rather than taken from the archive (no setuid, no world-writable).
 * On failure the entry is drained, so the reader is never left waiting on it.
 */
export async function extractEntry(root: string, entry: ReadEntry, normalized: string): Promise<void> {
  try {
    await write(root, entry, normalized);
  } catch (error) {
    entry.resume();
    throw error;
  }
}

async function write(root: string, entry: ReadEntry, normalized: string): Promise<void> {
  const target = path.resolve(root, normalized);
  const relative = path.relative(root, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`${entry.path}: refusing to write outside ${root}`);
  }
  if (entry.type === 'Directory') {
    entry.resume();
    await fs.promises.mkdir(target, { recursive: true, mode: DIR_MODE });
    return;
  }
  await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(target, { flags: 'wx', mode: FILE_MODE });
    out.on('error', (error) => {
      entry.unpipe(out);
      reject(error);
    });
    out.on('close', () => resolve());
    entry.pipe(out);
  });
}
