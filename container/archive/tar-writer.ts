import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { Header, Pax, type HeaderData } from 'tar';

/**
 * A reproducible `.tar.gz` writer. Everything that varies between machines is pinned: entry order (the caller
 * sorts), mtime, uid/gid, owner names (left empty), modes, and the gzip header (no name, mtime 0, fixed level, OS
 * byte 255 "unknown" as `tar`'s portable mode writes it). The deflate stream itself is as stable as the zlib build
 * Node bundles (`process.versions.zlib`): same Node zlib, same bytes; `tarSha256` is stable across all of them.
 */

/** 2000-01-01T00:00:00Z: a fixed stamp that no tool mistakes for a missing one (0 makes some warn). */
export const ARCHIVE_MTIME = new Date(Date.UTC(2000, 0, 1));
export const FILE_MODE = 0o644;
export const DIR_MODE = 0o755;
const GZIP_LEVEL = 9;
const GZIP_OS_BYTE_OFFSET = 9;
const GZIP_OS_UNKNOWN = 255;
const BLOCK = 512;

export interface TarSourceEntry {
  /** Archive path, `/`-separated; directories end in `/`. */
  path: string;
  type: 'Directory' | 'File';
  /** For files: where to read the content, and the size it must have. */
  source?: string;
  size?: number;
}

export interface WrittenArchive {
  sha256: string;
  bytes: number;
  tarSha256: string;
}

function headerBlocks(entry: TarSourceEntry): Buffer[] {
  const data: HeaderData = {
    path: entry.path,
    type: entry.type,
    mode: entry.type === 'Directory' ? DIR_MODE : FILE_MODE,
    uid: 0,
    gid: 0,
    size: entry.type === 'File' ? entry.size : 0,
    mtime: ARCHIVE_MTIME,
    uname: '',
    gname: '',
  };
  const header = new Header(data);
  const block = Buffer.alloc(BLOCK);
  // encode() reports whether the path fits ustar's name+prefix fields; longer ones need a pax record before.
  const needPax = header.encode(block);
  return needPax ? [new Pax({ path: entry.path, mtime: ARCHIVE_MTIME, uid: 0, gid: 0 }).encode(), block] : [block];
}

async function* fileBlocks(entry: TarSourceEntry): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of fs.createReadStream(entry.source as string)) {
    const buffer = chunk as Buffer;
    read += buffer.length;
    if (read > (entry.size as number)) break;
    yield buffer;
  }
  if (read !== entry.size) {
    throw new Error(`${entry.source}: changed while packing (size was ${entry.size} bytes, read ${read}); pack again`);
  }
  const padding = (BLOCK - (read % BLOCK)) % BLOCK;
  if (padding > 0) yield Buffer.alloc(padding);
}

/** The uncompressed tar stream of `entries`, in the order given, ending with the two zero blocks. */
export async function* tarBlocks(entries: TarSourceEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield* headerBlocks(entry);
    if (entry.type === 'File') yield* fileBlocks(entry);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/** Hashes (and counts) what passes through, optionally overwriting one byte at an absolute offset on the way. */
class Tap extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly patch?: { offset: number; value: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const { patch } = this;
    if (patch && patch.offset >= this.bytes && patch.offset < this.bytes + chunk.length) {
      chunk = Buffer.from(chunk);
      chunk[patch.offset - this.bytes] = patch.value;
    }
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** Writes `entries` as a reproducible `.tar.gz` to `file` (which the caller makes atomic). */
export async function writeTarGz(entries: TarSourceEntry[], file: string): Promise<WrittenArchive> {
  const tarTap = new Tap();
  const gzTap = new Tap({ offset: GZIP_OS_BYTE_OFFSET, value: GZIP_OS_UNKNOWN });
  await pipeline(
    tarBlocks(entries),
    tarTap,
    zlib.createGzip({ level: GZIP_LEVEL }),
    gzTap,
    fs.createWriteStream(file, { flags: 'wx', mode: FILE_MODE }),
  );
  return { sha256: gzTap.hash.digest('hex'), bytes: gzTap.bytes, tarSha256: tarTap.hash.digest('hex') };
}
