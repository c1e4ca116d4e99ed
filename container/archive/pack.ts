import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import { ArchiveError, type ArchiveProblem, type PackResult } from './archive-types';
import { checkLayout } from './layout';
import { savedModelProblems } from './saved-model-check';
import { readSourceTree } from './source-tree';
import { writeTarGz } from './tar-writer';

/**
 * Packs a models root (`<name>/<version>/saved_model.pb …`, optional `code/`) into a reproducible `model.tar.gz`
 * whose root is what SageMaker extracts into /opt/ml/model. A bare SavedModel directory is refused with the layout
 * to use instead: guessing a model name would change the URL clients call. Nothing is written unless the source is
 * clean (every problem is reported at once), and the output appears whole or not at all (temp file + rename).
 */

async function sourceDirProblem(sourceDir: string, outFile: string): Promise<ArchiveProblem | undefined> {
  const stat = await fs.stat(sourceDir).catch(() => undefined);
  if (!stat) throw new NotFoundError(`${sourceDir}: no such directory to pack`);
  if (!stat.isDirectory()) return { message: 'not a directory; pack the models root that holds <name>/<version>/' };
  const relative = path.relative(path.resolve(sourceDir), path.resolve(outFile));
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { message: `the output ${outFile} is inside the directory being packed; write it elsewhere` };
  }
  return undefined;
}

export async function packModelArchive(sourceDir: string, outFile: string): Promise<PackResult> {
  const early = await sourceDirProblem(sourceDir, outFile);
  if (early) throw new ArchiveError(sourceDir, [early]);
  const tree = await readSourceTree(sourceDir);
  const layout = checkLayout(tree.entries.map((e) => ({ path: e.path.replace(/\/$/, ''), isDir: e.type === 'Directory' })));
  const problems = [...tree.problems, ...layout.problems];
  if (layout.problems.length === 0) problems.push(...(await savedModelProblems(sourceDir, layout.savedModelDirs, false)));
  if (problems.length > 0) throw new ArchiveError(sourceDir, problems);

  const temp = path.join(path.dirname(outFile), `.${path.basename(outFile)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const written = await writeTarGz(tree.entries, temp);
    await fs.rename(temp, outFile);
    return { ...written, entries: tree.entries.map((e) => e.path) };
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
