import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ArchiveError, packModelArchive, unpackModelArchive } from '../../../container/archive';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { FailedPreconditionError, NotFoundError } from '../../../container/errors';
import { rawTar, rawTarGz, type RawEntry } from './tar-builder';

describe('unpackModelArchive', () => {
  let root: string;
  let work: string;
  let archive: string;
  let dest: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-unpack-'));
    // The archive is unpacked two levels down, so an escape by one `..` would land in `work`, by two in `root`.
    work = path.join(root, 'work');
    fs.mkdirSync(path.join(work, 'deeper'), { recursive: true });
    archive = path.join(root, 'model.tar.gz');
    dest = path.join(work, 'deeper', 'model');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Every path under `dir`, relative, sorted. */
  const listing = (dir: string): string[] =>
    (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();

  async function refused(entries: RawEntry[]): Promise<ArchiveError> {
    fs.writeFileSync(archive, rawTarGz(entries));
    const error = await unpackModelArchive(archive, dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    // Nothing written anywhere: no destination, no temp dir left beside it, nothing above it.
    expect(listing(root)).toEqual(['model.tar.gz', 'work', 'work/deeper']);
    return error as ArchiveError;
  }

  it('round-trips a packed model byte for byte', async () => {
    const source = path.join(root, 'models');
    await writeDemoModels(source);
    await packModelArchive(source, archive);
    await unpackModelArchive(archive, dest);
    expect(listing(dest)).toEqual(listing(source));
    for (const file of listing(source).filter((p) => fs.statSync(path.join(source, p)).isFile())) {
      expect(fs.readFileSync(path.join(dest, file)).equals(fs.readFileSync(path.join(source, file)))).toBe(true);
    }
    expect(fs.statSync(path.join(dest, 'half_plus_three', '1', 'saved_model.pb')).mode & 0o777).toBe(0o644);
  });

  it('accepts what `tar -czf … -C dir .` writes (./ prefixes) and plain tar', async () => {
    const source = path.join(root, 'models');
    await writeDemoModels(source);
    execFileSync('tar', ['-czf', archive, '-C', source, '.']);
    await unpackModelArchive(archive, dest);
    expect(listing(dest)).toEqual(listing(source));
    fs.writeFileSync(archive, rawTar([{ path: 'm/1/saved_model.pb', body: 'x' }]));
    await unpackModelArchive(archive, path.join(work, 'plain'));
    expect(fs.readFileSync(path.join(work, 'plain', 'm', '1', 'saved_model.pb'), 'utf8')).toBe('x');
  });

  it.each([
    ['../evil', '`..`'],
    ['a/../../evil', '`..`'],
    ['../../evil', '`..`'],
    ['/abs/evil', 'absolute path'],
    ['C:\\evil', 'absolute path'],
  ])('refuses the escaping path %s, naming it', async (entry, reason) => {
    const error = await refused([{ path: 'ok/file', body: 'fine' }, { path: entry, body: 'evil' }]);
    expect(error.problems).toEqual([{ entry, message: expect.stringContaining(reason) }]);
    expect(error.message).toContain(`${entry}: `);
  });

  it('refuses links and devices, naming the entry and the target', async () => {
    const error = await refused([
      { path: 'escape', type: 'SymbolicLink', linkpath: '/etc' },
      { path: 'escape/passwd', body: 'written through the link?' },
      { path: 'hard', type: 'Link', linkpath: '/etc/passwd' },
      { path: 'dev', type: 'CharacterDevice' },
      { path: 'fifo', type: 'FIFO' },
    ]);
    expect(error.problems.map((p) => [p.entry, p.message.split(':')[0]])).toEqual([
      ['escape', 'symbolic link to /etc'],
      ['hard', 'hard link to /etc/passwd'],
      ['dev', 'CharacterDevice entry'],
      ['fifo', 'FIFO entry'],
    ]);
  });

  it('refuses duplicates and a file used as a directory', async () => {
    const error = await refused([
      { path: 'm/1/saved_model.pb', body: 'a' },
      { path: './m/1/saved_model.pb', body: 'b' },
      { path: 'f', body: 'file' },
      { path: 'f/inner', body: 'under a file' },
    ]);
    expect(error.problems).toEqual([
      { entry: './m/1/saved_model.pb', message: 'duplicate entry: m/1/saved_model.pb appears more than once' },
      { entry: 'f/inner', message: 'f is a file earlier in the archive, not a directory' },
    ]);
  });

  it('stops at the size limit (tar bomb) without writing past it', async () => {
    fs.writeFileSync(
      archive,
      rawTarGz([
        { path: 'm/1/saved_model.pb', body: 'x'.repeat(600) },
        { path: 'm/1/big', body: Buffer.alloc(5000) },
        { path: 'm/1/never-read', body: 'y' },
      ]),
    );
    await expect(unpackModelArchive(archive, dest, { limits: { maxUnpackedBytes: 1000 } })).rejects.toThrow(
      'm/1/big: unpacked size passes 1000 bytes (limit maxUnpackedBytes)',
    );
    await expect(unpackModelArchive(archive, dest, { limits: { maxEntries: 2 } })).rejects.toThrow(
      'm/1/never-read: more than 2 entries (limit maxEntries)',
    );
    expect(listing(root)).toEqual(['model.tar.gz', 'work', 'work/deeper']);
  });

  it('refuses a gzip bomb by its compression ratio, unless the limit is raised', async () => {
    fs.writeFileSync(archive, rawTarGz([{ path: 'zeros', body: Buffer.alloc(4 * 1024 * 1024) }]));
    await expect(unpackModelArchive(archive, dest)).rejects.toThrow(/decompression ratio exceeded.*\(limit maxDecompressionRatio\)/);
    expect(listing(root)).toEqual(['model.tar.gz', 'work', 'work/deeper']);
    await unpackModelArchive(archive, dest, { limits: { maxDecompressionRatio: Infinity } });
    expect(fs.statSync(path.join(dest, 'zeros')).size).toBe(4 * 1024 * 1024);
  });

  it('refuses corrupt and truncated archives, leaving nothing', async () => {
    fs.writeFileSync(archive, Buffer.from('this is not a tar archive at all'.repeat(40)));
    await expect(unpackModelArchive(archive, dest)).rejects.toThrow(/unreadable archive/);
    const whole = rawTarGz([{ path: 'm/1/saved_model.pb', body: Buffer.alloc(100_000, 7) }]);
    fs.writeFileSync(archive, zlib.gzipSync(zlib.gunzipSync(whole).subarray(0, 60_000)));
    await expect(unpackModelArchive(archive, dest)).rejects.toThrow(/unreadable archive: Truncated input/);
    fs.writeFileSync(archive, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(unpackModelArchive(archive, dest)).rejects.toThrow(/unreadable archive/);
    expect(listing(root)).toEqual(['model.tar.gz', 'work', 'work/deeper']);
  });

  it('refuses a missing archive and a non-empty destination', async () => {
    await expect(unpackModelArchive(path.join(root, 'missing.tar.gz'), dest)).rejects.toBeInstanceOf(NotFoundError);
    fs.writeFileSync(archive, rawTarGz([{ path: 'a', body: 'a' }]));
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'keep'), 'mine');
    await expect(unpackModelArchive(archive, dest)).rejects.toBeInstanceOf(FailedPreconditionError);
    expect(fs.readFileSync(path.join(dest, 'keep'), 'utf8')).toBe('mine');
    fs.rmSync(path.join(dest, 'keep'));
    await unpackModelArchive(archive, dest);
    expect(listing(dest)).toEqual(['a']);
  });
});
