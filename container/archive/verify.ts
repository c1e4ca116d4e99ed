import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import { resolveLimits, type ArchiveProblem, type ArchiveReport, type VerifyOptions } from './archive-types';
import { extractEntry } from './extract-entry';
import { checkLayout } from './layout';
import { readArchive } from './read-archive';
import { savedModelProblems } from './saved-model-check';

/**
 * Checks a model archive without deploying it: gzip (SageMaker's ModelDataUrl takes only .tar.gz), entry safety
 * (escaping or absolute paths, links, devices, duplicates, limits), the layout the container discovers, and that
 * every SavedModel parses — or, with `load`, loads on the engine. All problems are returned together. Only the
 * `saved_model.pb` files (everything, with `load`) are extracted, into a private temp dir removed afterwards.
 */

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

async function fileDigest(file: string): Promise<{ sha256: string; gzip: boolean }> {
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    if (head.length < GZIP_MAGIC.length) head = Buffer.concat([head, chunk.subarray(0, GZIP_MAGIC.length)]);
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), gzip: head.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC) };
}

export async function verifyModelArchive(file: string, options: VerifyOptions = {}): Promise<ArchiveReport> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new NotFoundError(`${file}: no such archive file`);
  const digest = await fileDigest(file);
  const temp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tfserve-verify-'));
  try {
    const contents = await readArchive(file, {
      limits: resolveLimits(options.limits),
      onSafeEntry: async (entry, normalized) => {
        if (options.load || path.posix.basename(normalized) === 'saved_model.pb') await extractEntry(temp, entry, normalized);
        else entry.resume();
      },
    });
    const layout = checkLayout(contents.layout);
    const problems: ArchiveProblem[] = [];
    if (!digest.gzip) problems.push({ message: 'not gzip-compressed: SageMaker takes a .tar.gz as model data' });
    problems.push(...contents.problems);
    // After a limit the listing is partial: layout findings would only be noise.
    if (!contents.stoppedEarly) {
      problems.push(...layout.problems);
      problems.push(...(await savedModelProblems(temp, layout.savedModelDirs, options.load ?? false)));
    }
    return {
      file,
      ok: problems.length === 0,
      problems,
      entries: contents.entries,
      models: layout.models,
      hasCode: layout.hasCode,
      bytes: stat.size,
      sha256: digest.sha256,
      unpackedBytes: contents.unpackedBytes,
    };
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true });
  }
}
