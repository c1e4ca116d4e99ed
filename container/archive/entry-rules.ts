import type { ArchiveLimits, ArchiveProblem } from './archive-types';

/**
 * Which tar entries tfserve accepts when it reads an archive, decided per entry from the header alone, before a
 * byte of content is written. Only regular files and directories with relative paths that stay inside the archive
 * root pass: SageMaker cannot extract links (serving contract A6), and a `../` or absolute path could write
 * anywhere on the host.
 */

/** What the reader knows of an entry from its header. */
export interface EntryHeader {
  path: string;
  type: string;
  size: number;
  linkpath?: string;
}

const REGULAR_TYPES = new Set(['File', 'OldFile', 'ContigFile']);

/** `./a//b/` → `a/b`; the root itself (`./`, `.`) → ''. Backslashes count as separators: Windows tools write them. */
export function normalizeEntryPath(raw: string): string {
  return raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

function isAbsolute(raw: string): boolean {
  return /^([/\\]|[A-Za-z]:)/.test(raw);
}

function typeProblem(header: EntryHeader): string | undefined {
  if (REGULAR_TYPES.has(header.type) || header.type === 'Directory') return undefined;
  if (header.type === 'SymbolicLink') {
    return `symbolic link to ${header.linkpath ?? '?'}: links are refused (SageMaker cannot extract them); archive the file itself`;
  }
  if (header.type === 'Link') {
    return `hard link to ${header.linkpath ?? '?'}: links are refused (SageMaker cannot extract them); archive the file itself`;
  }
  return `${header.type} entry: only regular files and directories are allowed`;
}

/** Per-entry checks plus the ones that need memory of earlier entries: duplicates, a file used as a directory, limits. */
export class EntryChecker {
  private readonly files = new Set<string>();
  /** Directories seen, named by an entry or implied by a deeper path. */
  private readonly dirs = new Set<string>();
  private readonly explicitDirs = new Set<string>();
  private entryCount = 0;
  unpackedBytes = 0;
  /** Set once a limit is crossed: reading further would only feed the bomb. */
  limitExceeded = false;

  constructor(private readonly limits: ArchiveLimits) {}

  /** The problems of this entry; none means it is a safe file or directory at `normalizeEntryPath(header.path)`. */
  check(header: EntryHeader): ArchiveProblem[] {
    const entry = header.path;
    const problems: string[] = [];
    const normalized = normalizeEntryPath(entry);
    if (isAbsolute(entry)) problems.push('absolute path: entries must be relative to the archive root');
    if (normalized.split('/').includes('..')) problems.push('path escapes the archive root (`..`)');
    const badType = typeProblem(header);
    if (badType) problems.push(badType);
    if (problems.length === 0) problems.push(...this.placement(normalized, header.type === 'Directory'));
    problems.push(...this.countLimits(header));
    return problems.map((message) => ({ entry, message }));
  }

  private placement(normalized: string, isDir: boolean): string[] {
    if (normalized === '') return isDir ? [] : ['a file entry with an empty path'];
    const problems: string[] = [];
    if (isDir ? this.explicitDirs.has(normalized) : this.files.has(normalized)) {
      problems.push(`duplicate entry: ${normalized} appears more than once`);
    } else if (!isDir && this.dirs.has(normalized)) {
      problems.push(`${normalized} is a directory earlier in the archive, not a file`);
    } else if (isDir && this.files.has(normalized)) {
      problems.push(`${normalized} is a file earlier in the archive, not a directory`);
    }
    const segments = normalized.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (this.files.has(parent)) problems.push(`${parent} is a file earlier in the archive, not a directory`);
      this.dirs.add(parent);
    }
    if (isDir) {
      this.dirs.add(normalized);
      this.explicitDirs.add(normalized);
    } else {
      this.files.add(normalized);
    }
    return problems;
  }

  private countLimits(header: EntryHeader): string[] {
    this.entryCount += 1;
    if (REGULAR_TYPES.has(header.type)) this.unpackedBytes += header.size;
    const problems: string[] = [];
    if (this.entryCount > this.limits.maxEntries) {
      problems.push(`more than ${this.limits.maxEntries} entries (limit maxEntries); refusing to read further`);
    }
    if (this.unpackedBytes > this.limits.maxUnpackedBytes) {
      problems.push(
        `unpacked size passes ${this.limits.maxUnpackedBytes} bytes (limit maxUnpackedBytes); refusing to read further`,
      );
    }
    if (problems.length > 0) this.limitExceeded = true;
    return problems;
  }
}
