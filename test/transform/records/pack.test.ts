import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeExample } from '../../../container/formats/example';
import { InvalidArgumentError } from '../../../container/errors';
import { listFiles, packDirectory, packFiles } from '../../../transform/records/pack';
import { readRecordFile } from '../../../transform/records/read-record-file';
import { noise } from '../../support/bytes';

async function examplesOf(file: string): Promise<{ name: string; content: string; keys: string[] }[]> {
  const out = [];
  for await (const record of readRecordFile(file)) {
    const example = decodeExample(record.payload);
    const content = example['image/encoded'];
    const name = example['image/filename'];
    if (content.kind !== 'bytes' || name.kind !== 'bytes') throw new Error('expected bytes features');
    out.push({ name: Buffer.from(name.values[0]).toString(), content: Buffer.from(content.values[0]).toString('hex'), keys: Object.keys(example).sort() });
  }
  return out;
}

describe('packDirectory', () => {
  let root: string;
  let input: string;
  let output: string;
  const files: Record<string, Uint8Array> = {
    'b.png': noise(3000, 1),
    'a.jpg': noise(10, 2),
    'sub/c.bin': noise(70_000, 3),
    'sub/deeper/d.txt': new TextEncoder().encode('hello'),
    'empty': new Uint8Array(0),
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-pack-'));
    input = path.join(root, 'in');
    output = path.join(root, 'out');
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(input, name)), { recursive: true });
      fs.writeFileSync(path.join(input, name), content);
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const sortedNames = ['a.jpg', 'b.png', 'empty', 'sub/c.bin', 'sub/deeper/d.txt'];

  it('lists files recursively, sorted by relative path', async () => {
    expect(await listFiles(input)).toEqual(sortedNames);
  });

  it('packs every file into one shard by default, in sorted order, with content and filename features', async () => {
    const result = await packDirectory({ inputDir: input, outputDir: output });
    const shard = path.join(output, 'part-00000-of-00001.tfrecord');
    expect(result).toEqual({ files: 5, shards: [{ path: shard, records: 5, bytes: fs.statSync(shard).size }] });
    expect(fs.readdirSync(output)).toEqual(['part-00000-of-00001.tfrecord']);
    const examples = await examplesOf(shard);
    expect(examples.map((e) => e.name)).toEqual(sortedNames);
    expect(examples.map((e) => e.content)).toEqual(sortedNames.map((n) => Buffer.from(files[n]).toString('hex')));
    expect(examples[0].keys).toEqual(['image/encoded', 'image/filename']);
  });

  it('spreads files over N shards in contiguous sorted ranges', async () => {
    const result = await packDirectory({ inputDir: input, outputDir: output, shards: 2 });
    expect(result.shards.map((s) => [path.basename(s.path), s.records])).toEqual([
      ['part-00000-of-00002.tfrecord', 3],
      ['part-00001-of-00002.tfrecord', 2],
    ]);
    const names = [...(await examplesOf(result.shards[0].path)), ...(await examplesOf(result.shards[1].path))].map((e) => e.name);
    expect(names).toEqual(sortedNames);
  });

  it('uses the feature names given', async () => {
    const result = await packDirectory({ inputDir: input, outputDir: output, featureName: 'data', filenameFeature: 'path' });
    for await (const record of readRecordFile(result.shards[0].path)) {
      expect(Object.keys(decodeExample(record.payload)).sort()).toEqual(['data', 'path']);
    }
  });

  it('writes empty (valid) shards when there are more shards than files', async () => {
    const result = await packDirectory({ inputDir: input, outputDir: output, shards: 7 });
    expect(result.shards.map((s) => s.records)).toEqual([1, 1, 1, 0, 1, 1, 0]);
    expect(fs.statSync(result.shards[3].path).size).toBe(0);
  });

  it.each([
    [{ shards: 0 }, '--shards must be a whole number >= 1, got 0'],
    [{ shards: 1.5 }, '--shards must be a whole number >= 1, got 1.5'],
    [{ featureName: 'x', filenameFeature: 'x' }, "the content and filename features must differ, both are 'x'"],
  ])('rejects bad options %j', async (options, message) => {
    await expect(packDirectory({ inputDir: input, outputDir: output, ...options })).rejects.toThrow(new InvalidArgumentError(message));
    expect(fs.existsSync(output)).toBe(false);
  });

  it('refuses an output directory inside the input directory', async () => {
    await expect(packDirectory({ inputDir: input, outputDir: path.join(input, 'shards') })).rejects.toThrow(
      `the output directory ${path.join(input, 'shards')} must not lie inside the input directory ${input}`,
    );
  });

  it('tells a subdirectory named with leading dots from a parent', async () => {
    await expect(packDirectory({ inputDir: input, outputDir: path.join(input, '..shards') })).rejects.toThrow('must not lie inside the input directory');
    expect((await packDirectory({ inputDir: input, outputDir: path.join(input, '..', '..shards') })).files).toBe(5);
  });

  it('refuses an empty input directory', async () => {
    fs.mkdirSync(path.join(root, 'nothing'));
    await expect(packDirectory({ inputDir: path.join(root, 'nothing'), outputDir: output })).rejects.toThrow(`no files to pack under ${path.join(root, 'nothing')}`);
  });

  it('skips symbolic links', async () => {
    fs.symlinkSync(path.join(input, 'a.jpg'), path.join(input, 'link.jpg'));
    expect(await listFiles(input)).toEqual(sortedNames);
  });
});

describe('packFiles', () => {
  let output: string;
  beforeEach(() => {
    output = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-pack-files-'));
  });
  afterEach(() => fs.rmSync(output, { recursive: true, force: true }));

  const options = () => ({ outputDir: output, shards: 2, featureName: 'image/encoded', filenameFeature: 'image/filename' });

  it('leaves no new shard and no temporary file when a read fails, and older shards as they were', async () => {
    fs.writeFileSync(path.join(output, 'part-00000-of-00002.tfrecord'), 'old');
    const read = async (name: string) => {
      if (name === 'd') throw new Error('d: read failed');
      return noise(10);
    };
    await expect(packFiles(['a', 'b', 'c', 'd'], read, options())).rejects.toThrow('d: read failed');
    expect(fs.readdirSync(output)).toEqual(['part-00000-of-00002.tfrecord']);
    expect(fs.readFileSync(path.join(output, 'part-00000-of-00002.tfrecord'), 'utf8')).toBe('old');
  });

  it('publishes all shards together once every one is complete', async () => {
    const result = await packFiles(['a', 'b', 'c'], async () => noise(10), options());
    expect(fs.readdirSync(output)).toEqual(['part-00000-of-00002.tfrecord', 'part-00001-of-00002.tfrecord']);
    expect(result.shards.map((s) => s.records)).toEqual([2, 1]);
  });
});
