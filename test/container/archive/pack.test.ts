import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Header } from 'tar';
import { ArchiveError, packModelArchive } from '../../../container/archive';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';

/** Every header in an uncompressed tar, in order (skipping content blocks). */
function headers(tarBytes: Buffer): Header[] {
  const found: Header[] = [];
  for (let offset = 0; offset + 512 <= tarBytes.length; ) {
    const header = new Header(tarBytes, offset);
    if (header.nullBlock) break;
    found.push(header);
    offset += 512 + Math.ceil((header.size ?? 0) / 512) * 512;
  }
  return found;
}

describe('packModelArchive', () => {
  let root: string;
  let source: string;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-pack-'));
    source = path.join(root, 'models');
    await writeDemoModels(source);
    fs.mkdirSync(path.join(source, 'code'));
    fs.writeFileSync(path.join(source, 'code', 'inference.js'), 'module.exports = {};\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the same bytes twice, whatever the files’ mtimes, modes and the umask', async () => {
    const first = await packModelArchive(source, path.join(root, 'a.tar.gz'));
    const later = new Date('2031-05-06T07:08:09Z');
    for (const file of [path.join(source, 'code', 'inference.js'), path.join(source, 'half_plus_three', '1', 'saved_model.pb')]) {
      fs.utimesSync(file, later, later);
      fs.chmodSync(file, 0o600);
    }
    fs.chmodSync(path.join(source, 'code'), 0o700);
    const umask = process.umask(0o077);
    let second;
    try {
      second = await packModelArchive(source, path.join(root, 'b.tar.gz'));
    } finally {
      process.umask(umask);
    }
    expect(second).toEqual(first);
    expect(fs.readFileSync(path.join(root, 'b.tar.gz')).equals(fs.readFileSync(path.join(root, 'a.tar.gz')))).toBe(true);
    expect(first.bytes).toBe(fs.statSync(path.join(root, 'a.tar.gz')).size);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists sorted entries with the layout SageMaker extracts into /opt/ml/model', async () => {
    const { entries } = await packModelArchive(source, path.join(root, 'model.tar.gz'));
    expect(entries).toEqual([
      'code/',
      'code/inference.js',
      'half_plus_three/',
      'half_plus_three/1/',
      'half_plus_three/1/saved_model.pb',
      'half_plus_three/1/variables/',
      'half_plus_three/1/variables/variables.data-00000-of-00001',
      'half_plus_three/1/variables/variables.index',
    ]);
  });

  it('pins owner, mode, mtime and the gzip header', async () => {
    await packModelArchive(source, path.join(root, 'model.tar.gz'));
    const gz = fs.readFileSync(path.join(root, 'model.tar.gz'));
    // gzip: no mtime (bytes 4–7), no name flag (byte 3), OS byte "unknown" (byte 9)
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
    for (const header of headers(zlib.gunzipSync(gz))) {
      expect(header.mode).toBe(header.type === 'Directory' ? 0o755 : 0o644);
      expect([header.uid, header.gid, header.uname, header.gname]).toEqual([0, 0, '', '']);
      expect(header.mtime?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    }
  });

  it('extracts with the system tar, pax long paths included', async () => {
    const deep = path.join(source, 'half_plus_three', '1', 'assets', 'a'.repeat(120), 'b'.repeat(120));
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'vocab.txt'), 'x\n');
    await packModelArchive(source, path.join(root, 'model.tar.gz'));
    const out = path.join(root, 'out');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xzf', path.join(root, 'model.tar.gz'), '-C', out]);
    expect(fs.readFileSync(path.join(out, path.relative(source, deep), 'vocab.txt'), 'utf8')).toBe('x\n');
    expect(fs.readFileSync(path.join(out, 'half_plus_three', '1', 'saved_model.pb'))).toEqual(
      fs.readFileSync(path.join(source, 'half_plus_three', '1', 'saved_model.pb')),
    );
  });

  it('packs a link to a file inside the directory as a copy of the file', async () => {
    fs.symlinkSync('inference.js', path.join(source, 'code', 'alias.js'));
    const { entries } = await packModelArchive(source, path.join(root, 'model.tar.gz'));
    expect(entries).toContain('code/alias.js');
    const listing = execFileSync('tar', ['-tvzf', path.join(root, 'model.tar.gz')], { encoding: 'utf8' });
    expect(listing).not.toMatch(/^l/m);
  });

  it('refuses a bare SavedModel directory, suggesting <name>/1/', async () => {
    const bare = path.join(source, 'half_plus_three', '1');
    const error = await packModelArchive(bare, path.join(root, 'model.tar.gz')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(/saved_model\.pb: the archive root is a single SavedModel.*<name>\/1\//);
    expect(fs.existsSync(path.join(root, 'model.tar.gz'))).toBe(false);
  });

  it('reports every unpackable file at once and writes nothing', async () => {
    const outside = path.join(root, 'secret.txt');
    fs.writeFileSync(outside, 'secret');
    fs.symlinkSync(outside, path.join(source, 'code', 'secret.txt'));
    fs.symlinkSync('..', path.join(source, 'code', 'parent'));
    execFileSync('mkfifo', [path.join(source, 'code', 'pipe')]);
    const error = (await packModelArchive(source, path.join(root, 'model.tar.gz')).catch((e: unknown) => e)) as ArchiveError;
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error.problems.map((p) => p.entry)).toEqual(['code/parent', 'code/pipe', 'code/secret.txt']);
    expect(error.problems[2].message).toContain('outside the directory being packed');
    expect(error.problems[1].message).toContain('FIFO');
    expect(fs.readdirSync(root).sort()).toEqual(['models', 'secret.txt']);
  });

  it('refuses a directory without models and an output inside the source', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    await expect(packModelArchive(empty, path.join(root, 'model.tar.gz'))).rejects.toThrow(/no SavedModel found/);
    await expect(packModelArchive(source, path.join(source, 'model.tar.gz'))).rejects.toThrow(/inside the directory being packed/);
    await expect(packModelArchive(path.join(root, 'missing'), path.join(root, 'm.tar.gz'))).rejects.toThrow(/no such directory/);
  });

  it('refuses a SavedModel that does not parse, naming it', async () => {
    fs.writeFileSync(path.join(source, 'half_plus_three', '1', 'saved_model.pb'), Buffer.from([0xff, 0xff, 0xff]));
    await expect(packModelArchive(source, path.join(root, 'model.tar.gz'))).rejects.toThrow(/half_plus_three\/1\/saved_model\.pb/);
    expect(fs.existsSync(path.join(root, 'model.tar.gz'))).toBe(false);
  });
});
