import * as zlib from 'node:zlib';
import { Header, type HeaderData } from 'tar';

/**
 * Hand-built tar archives for the tests, including the ones no well-behaved packer writes: `../` and absolute
 * paths, links, devices, duplicates. Headers are encoded with tar's low-level `Header`, which writes what it is
 * given.
 */

export interface RawEntry {
  path: string;
  type?: HeaderData['type'];
  body?: string | Buffer;
  linkpath?: string;
  /** Declared size when it should differ from the body (a lying header). */
  size?: number;
}

export function rawTar(entries: RawEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : (entry.body ?? Buffer.alloc(0));
    const type = entry.type ?? 'File';
    const header = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type,
      mode: type === 'Directory' ? 0o755 : 0o644,
      size: entry.size ?? body.length,
      linkpath: entry.linkpath,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    }).encode(header);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const rawTarGz = (entries: RawEntry[]): Buffer => zlib.gzipSync(rawTar(entries));
