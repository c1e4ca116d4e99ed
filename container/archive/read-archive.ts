import * as fs from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import type { ArchiveLimits, ArchiveProblem } from './archive-types';
import { EntryChecker, normalizeEntryPath } from './entry-rules';
import type { LayoutEntry } from './layout';

/**
 * Reads a `.tar.gz` (or plain tar) entry by entry without extracting anything itself: every header goes through
 * `EntryChecker` first, and only entries with no problem reach `onSafeEntry`, which decides where (if anywhere)
 * the content goes. Reading stops at the first crossed limit so a tar bomb costs no more than the limit.
 */

export interface ReadArchiveOptions {
  limits: ArchiveLimits;
  /** Called for each safe entry in order; must consume the entry (pipe it or let it resume). */
  onSafeEntry?: (entry: ReadEntry, normalized: string) => Promise<void>;
}

export interface ArchiveContents {
  problems: ArchiveProblem[];
  /** Entry paths as stored, in archive order. */
  entries: string[];
  /** The safe entries, normalized, for the layout check. */
  layout: LayoutEntry[];
  unpackedBytes: number;
  /** Reading stopped early (a crossed limit, a corrupt or truncated archive): entries and layout are partial. */
  stoppedEarly: boolean;
}

export async function readArchive(file: string, options: ReadArchiveOptions): Promise<ArchiveContents> {
  const checker = new EntryChecker(options.limits);
  const contents: ArchiveContents = { problems: [], entries: [], layout: [], unpackedBytes: 0, stoppedEarly: false };
  const pending: Promise<void>[] = [];
  let current: ReadEntry | undefined;
  const input = fs.createReadStream(file);
  const parser = new Parser({ strict: false, maxDecompressionRatio: options.limits.maxDecompressionRatio });

  const done = new Promise<void>((resolve, reject) => {
    input.on('error', reject);
    const unreadable = (message: string) => contents.problems.push({ message: `unreadable archive: ${message}` });
    parser.on('warn', (code: string, message: string) => {
      unreadable(message);
      if (code === 'TAR_BAD_ARCHIVE') contents.stoppedEarly = true;
    });
    parser.on('error', (error: Error) => {
      unreadable(/decompression ratio/.test(error.message) ? `${error.message} (limit maxDecompressionRatio)` : error.message);
      contents.stoppedEarly = true;
      // An abort leaves the entry in flight open; end it so its consumer settles.
      current?.end();
      input.destroy();
      resolve();
    });
    parser.on('end', () => resolve());
    parser.on('entry', (entry: ReadEntry) => {
      current = entry;
      contents.entries.push(entry.path);
      const problems = checker.check({ path: entry.path, type: entry.type, size: entry.size ?? 0, linkpath: entry.linkpath });
      contents.problems.push(...problems);
      if (checker.limitExceeded) {
        contents.stoppedEarly = true;
        entry.resume();
        input.destroy();
        resolve();
        return;
      }
      const normalized = normalizeEntryPath(entry.path);
      if (problems.length > 0 || normalized === '') {
        entry.resume();
        return;
      }
      contents.layout.push({ path: normalized, isDir: entry.type === 'Directory' });
      if (options.onSafeEntry) pending.push(options.onSafeEntry(entry, normalized));
      else entry.resume();
    });
  });
  input.pipe(parser);
  await done;
  const failed = (await Promise.allSettled(pending)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  if (contents.entries.length === 0 && contents.problems.length === 0) contents.problems.push({ message: 'the archive is empty' });
  contents.unpackedBytes = checker.unpackedBytes;
  return contents;
}
