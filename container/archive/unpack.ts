import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FailedPreconditionError, NotFoundError } from '../errors';
import { ArchiveError, resolveLimits, type UnpackOptions } from './archive-types';
import { extractEntry } from './extract-entry';
import { readArchive } from './read-archive';

/**
 * Extracts a model archive (`.tar.gz` or plain tar) into `destDir`, which must not exist or be an empty directory.
 * Everything goes into a temp directory beside `destDir` first and is renamed into place only when the whole
 * archive was safe and within the limits; on any problem the temp directory is removed and an `ArchiveError`
 * lists every problem, naming the entries. The layout is not checked here: that is `verifyModelArchive`'s job, and
 * the Edge agent also unpacks bare SavedModels.
 */
export async function unpackModelArchive(file: string, destDir: string, options: UnpackOptions = {}): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new NotFoundError(`${file}: no such archive file`);
  const dest = path.resolve(destDir);
  const existing = await fs.readdir(dest).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new FailedPreconditionError(`${destDir}: cannot unpack here (${error.code ?? error.message})`);
  });
  if (existing.length > 0) {
    throw new FailedPreconditionError(`${destDir}: already exists and is not empty; unpack into a new directory`);
  }

  await fs.mkdir(path.dirname(dest), { recursive: true });
  const temp = await fs.mkdtemp(path.join(path.dirname(dest), `.${path.basename(dest)}.unpacking-`));
  try {
    const contents = await readArchive(file, {
      limits: resolveLimits(options.limits),
      onSafeEntry: (entry, normalized) => extractEntry(temp, entry, normalized),
    });
    if (contents.problems.length > 0) throw new ArchiveError(file, contents.problems);
    await fs.chmod(temp, 0o755);
    await fs.rename(temp, dest);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}
