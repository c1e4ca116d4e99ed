import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packModelArchive, verifyModelArchive } from '../../../container/archive';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { NotFoundError } from '../../../container/errors';
import { rawTar, rawTarGz, type RawEntry } from './tar-builder';

describe('verifyModelArchive', () => {
  let root: string;
  let archive: string;
  let savedModel: Buffer;
  beforeAll(async () => {
    const demo = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-verify-demo-'));
    await writeDemoModels(demo);
    savedModel = fs.readFileSync(path.join(demo, 'half_plus_three', '1', 'saved_model.pb'));
    fs.rmSync(demo, { recursive: true });
  });
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-verify-'));
    archive = path.join(root, 'model.tar.gz');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const verifyRaw = (entries: RawEntry[]) => {
    fs.writeFileSync(archive, rawTarGz(entries));
    return verifyModelArchive(archive);
  };

  it('passes a packed model and describes it', async () => {
    const source = path.join(root, 'models');
    await writeDemoModels(source);
    fs.mkdirSync(path.join(source, 'code'));
    fs.writeFileSync(path.join(source, 'code', 'inference.js'), '');
    const packed = await packModelArchive(source, archive);
    const report = await verifyModelArchive(archive);
    expect(report).toEqual({
      file: archive,
      ok: true,
      problems: [],
      entries: packed.entries,
      models: [{ name: 'half_plus_three', versions: ['1'] }],
      hasCode: true,
      bytes: packed.bytes,
      sha256: packed.sha256,
      unpackedBytes: expect.any(Number),
    });
    expect(report.unpackedBytes).toBeGreaterThan(savedModel.length);
  });

  it('loads every version on the engine when asked', async () => {
    const report = await verifyRaw([
      { path: 'a/1/saved_model.pb', body: savedModel },
      { path: 'a/2/saved_model.pb', body: savedModel },
      { path: 'b/0007/saved_model.pb', body: savedModel },
    ]);
    expect(report.models).toEqual([
      { name: 'a', versions: ['1', '2'] },
      { name: 'b', versions: ['0007'] },
    ]);
    // Parsing passes, but the variables are missing: only loading finds that.
    expect(report.ok).toBe(true);
    const loaded = await verifyModelArchive(archive, { load: true });
    expect(loaded.problems.map((p) => p.entry)).toEqual(['a/1/saved_model.pb', 'a/2/saved_model.pb', 'b/0007/saved_model.pb']);
    expect(loaded.problems[0].message).not.toContain(os.tmpdir());
  });

  it('reports every problem together, each naming its entry, and writes nothing outside', async () => {
    const report = await verifyRaw([
      { path: '../evil', body: 'x' },
      { path: '/abs/evil', body: 'x' },
      { path: 'link', type: 'SymbolicLink', linkpath: '../../outside' },
      { path: 'hard', type: 'Link', linkpath: 'm/1/saved_model.pb' },
      { path: 'm/1/saved_model.pb', body: savedModel },
      { path: 'm/1/saved_model.pb', body: savedModel },
      { path: 'broken/1/saved_model.pb', body: Buffer.from([0x0a, 0xff, 0xff, 0xff]) },
      { path: 'm/2/variables/variables.index', body: '' },
      { path: 'export/saved_model.pb', body: savedModel },
      { path: 'm/1/code/inference.py', body: '' },
    ]);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.entry, p.message.slice(0, 30)])).toEqual([
      ['../evil', 'path escapes the archive root '],
      ['/abs/evil', 'absolute path: entries must be'],
      ['link', 'symbolic link to ../../outside'],
      ['hard', 'hard link to m/1/saved_model.p'],
      ['m/1/saved_model.pb', 'duplicate entry: m/1/saved_mod'],
      ['export/saved_model.pb', 'not in a numeric version direc'],
      ['m/1/code/inference.py', 'code/ is only read at the arch'],
      ['m/2/', 'version directory without save'],
      ['broken/1/saved_model.pb', expect.stringContaining('broken/1/saved_model.pb')],
    ]);
    expect(fs.readdirSync(root)).toEqual(['model.tar.gz']);
    expect(fs.existsSync(path.resolve(root, '..', 'evil'))).toBe(false);
  });

  it('refuses a bare SavedModel at the root, suggesting <name>/1/', async () => {
    const report = await verifyRaw([{ path: 'saved_model.pb', body: savedModel }, { path: 'variables/', type: 'Directory' }]);
    expect(report.problems).toEqual([
      { entry: 'saved_model.pb', message: expect.stringMatching(/single SavedModel.*under <name>\/1\//) },
    ]);
  });

  it('accepts a version directory at the root as the model named "model", like the container', async () => {
    const report = await verifyRaw([{ path: './123/saved_model.pb', body: savedModel }]);
    expect(report.problems).toEqual([]);
    expect(report.models).toEqual([{ name: 'model', versions: ['123'] }]);
  });

  it('flags an uncompressed tar, an empty archive and an archive with no model', async () => {
    fs.writeFileSync(archive, rawTar([{ path: 'm/1/saved_model.pb', body: savedModel }]));
    expect((await verifyModelArchive(archive)).problems).toEqual([
      { message: 'not gzip-compressed: SageMaker takes a .tar.gz as model data' },
    ]);
    expect((await verifyRaw([])).problems.map((p) => p.message)).toEqual([expect.stringContaining('unreadable archive')]);
    expect((await verifyRaw([{ path: 'readme.txt', body: 'hi' }])).problems).toEqual([
      { message: expect.stringMatching(/^no SavedModel found: expected <name>\/<version>\/saved_model\.pb/) },
    ]);
  });

  it('flags two models with the same name', async () => {
    const report = await verifyRaw([
      { path: 'a/m/1/saved_model.pb', body: savedModel },
      { path: 'b/m/1/saved_model.pb', body: savedModel },
    ]);
    expect(report.problems).toEqual([{ message: expect.stringMatching(/two models are both named m: a\/m and b\/m/) }]);
  });

  it('throws NotFoundError for a missing file', async () => {
    await expect(verifyModelArchive(path.join(root, 'missing.tar.gz'))).rejects.toBeInstanceOf(NotFoundError);
  });
});
