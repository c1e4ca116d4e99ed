import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ArchiveProblem } from './archive-types';
import type { TarSourceEntry } from './tar-writer';

/**
 * The entries a source directory packs into, sorted so the archive does not depend on the file system's listing
 * order. A symbolic link to a regular file inside the directory is packed as a copy of that file (SageMaker cannot
 * extract links); every other link, and sockets, FIFOs and devices, are problems naming the path.
 */

export interface SourceTree {
  entries: TarSourceEntry[];
  problems: ArchiveProblem[];
}

function kindOf(entry: Dirent): string {
  if (entry.isSocket()) return 'socket';
  if (entry.isFIFO()) return 'FIFO';
  if (entry.isCharacterDevice()) return 'character device';
  if (entry.isBlockDevice()) return 'block device';
  return 'special file';
}

const inside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
};

async function linkEntry(root: string, file: string, archivePath: string): Promise<TarSourceEntry | ArchiveProblem> {
  const target = await fs.realpath(file).catch(() => undefined);
  const shown = await fs.readlink(file);
  if (target === undefined) return { entry: archivePath, message: `symbolic link to ${shown}, which does not exist` };
  if (!inside(root, target)) {
    return { entry: archivePath, message: `symbolic link to ${shown}, outside the directory being packed; copy the file in` };
  }
  const stat = await fs.stat(target);
  if (!stat.isFile()) {
    const message = `symbolic link to ${shown}, which is not a regular file; only links to files are packed (as copies)`;
    return { entry: archivePath, message };
  }
  return { path: archivePath, type: 'File', source: target, size: stat.size };
}

async function walk(root: string, dir: string, tree: SourceTree): Promise<void> {
  const children = await fs.readdir(dir, { withFileTypes: true });
  for (const child of children) {
    const file = path.join(dir, child.name);
    const archivePath = path.relative(root, file).split(path.sep).join('/');
    if (child.isDirectory()) {
      tree.entries.push({ path: `${archivePath}/`, type: 'Directory' });
      await walk(root, file, tree);
    } else if (child.isFile()) {
      tree.entries.push({ path: archivePath, type: 'File', source: file, size: (await fs.stat(file)).size });
    } else if (child.isSymbolicLink()) {
      const result = await linkEntry(await fs.realpath(root), file, archivePath);
      if ('message' in result) tree.problems.push(result);
      else tree.entries.push(result);
    } else {
      tree.problems.push({ entry: archivePath, message: `${kindOf(child)}: only regular files and directories can be packed` });
    }
  }
}

export async function readSourceTree(root: string): Promise<SourceTree> {
  const tree: SourceTree = { entries: [], problems: [] };
  await walk(root, root, tree);
  tree.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return tree;
}
