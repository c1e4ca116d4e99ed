import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runRecordsCount, runRecordsInspect, runRecordsPack, runRecordsVerify } from '../../bin/commands/records';
import { buildProgram } from '../../bin/tfserve';
import { exampleRecords, writeTfRecordFile } from '../transform/records/records-fixture';

describe('tfserve records', () => {
  let root: string;
  let output: string;
  const write = () => {
    const sink = { text: '', write: (text: string) => (sink.text += text) };
    return sink;
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-records-cli-'));
    output = '';
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function tfrecordFile(name: string, count: number): string {
    const file = path.join(root, name);
    writeTfRecordFile(file, exampleRecords(count));
    return file;
  }

  it('pack writes shards that count and inspect read back', async () => {
    const input = path.join(root, 'images');
    fs.mkdirSync(input);
    for (const name of ['cat.png', 'dog.png', 'eel.png']) fs.writeFileSync(path.join(input, name), `${name} bytes`);
    const outDir = path.join(root, 'shards');
    const out = write();
    await runRecordsPack({ inputDir: input, outputDir: outDir, shards: 2 }, out.write);
    const shards = ['part-00000-of-00002.tfrecord', 'part-00001-of-00002.tfrecord'].map((n) => path.join(outDir, n));
    expect(out.text).toBe(
      `wrote ${shards[0]} (2 records, ${fs.statSync(shards[0]).size} bytes)\n` +
        `wrote ${shards[1]} (1 records, ${fs.statSync(shards[1]).size} bytes)\n` +
        'packed 3 files into 2 shards\n',
    );

    const counted = write();
    await runRecordsCount(shards, 'TFRecord', counted.write);
    expect(counted.text).toBe(`2\t${shards[0]}\n1\t${shards[1]}\n3\ttotal\n`);

    const inspected = write();
    await runRecordsInspect(shards[0], {}, inspected.write);
    expect(inspected.text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual([
      { record: 0, offset: 0, features: { 'image/encoded': { bytes: ['cat.png bytes'] }, 'image/filename': { bytes: ['cat.png'] } } },
      { record: 1, offset: expect.any(Number), features: { 'image/encoded': { bytes: ['dog.png bytes'] }, 'image/filename': { bytes: ['dog.png'] } } },
    ]);
  });

  it('count prints no total line for one file', async () => {
    const file = tfrecordFile('one.tfrecord', 4);
    const out = write();
    await runRecordsCount([file], 'TFRecord', out.write);
    expect(out.text).toBe(`4\t${file}\n`);
  });

  it('verify reports each file and fails naming how many are bad', async () => {
    const good = tfrecordFile('good.tfrecord', 3);
    const bad = tfrecordFile('bad.tfrecord', 3);
    fs.truncateSync(bad, fs.statSync(bad).size - 2);
    const out = write();
    await expect(runRecordsVerify([good, bad], 'TFRecord', out.write)).rejects.toThrow('1 of 2 files failed verification');
    const [goodLine, badLine] = out.text.trimEnd().split('\n');
    expect(goodLine).toBe(`ok ${good}: 3 records`);
    expect(badLine).toMatch(new RegExp(`^FAILED ${bad}: ${bad}: record 2 at byte offset \\d+: truncated payload check failed: `));
  });

  it('verify passes quietly on good files', async () => {
    const good = tfrecordFile('good.tfrecord', 2);
    const out = write();
    await runRecordsVerify([good], 'TFRecord', out.write);
    expect(out.text).toBe(`ok ${good}: 2 records\n`);
  });

  it('is registered as a tfserve command with its four subcommands', () => {
    const records = buildProgram().commands.find((c) => c.name() === 'records');
    expect(records?.commands.map((c) => c.name())).toEqual(['pack', 'count', 'verify', 'inspect']);
  });

  describe('argument parsing', () => {
    let stdout: jest.SpyInstance;
    beforeEach(() => {
      stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        output += String(chunk);
        return true;
      });
    });
    afterEach(() => stdout.mockRestore());

    function program() {
      const tfserve = buildProgram();
      let stderr = '';
      const all = (command: typeof tfserve): (typeof tfserve)[] => [command, ...command.commands.flatMap(all)];
      for (const command of all(tfserve)) {
        command.exitOverride().configureOutput({ writeErr: (text) => (stderr += text), writeOut: () => undefined });
      }
      return { tfserve, stderr: () => stderr };
    }

    it('runs inspect with --limit', async () => {
      const file = tfrecordFile('x.tfrecord', 3);
      await program().tfserve.parseAsync(['records', 'inspect', file, '--limit', '1'], { from: 'user' });
      expect(output.trimEnd().split('\n').map((line) => JSON.parse(line).record)).toEqual([0]);
    });

    it('runs verify and rejects when a file is bad', async () => {
      const bad = path.join(root, 'bad.tfrecord');
      fs.writeFileSync(bad, 'not a tfrecord at all');
      await expect(program().tfserve.parseAsync(['records', 'verify', bad], { from: 'user' })).rejects.toThrow('1 of 1 files failed verification');
      expect(output).toMatch(new RegExp(`^FAILED ${bad}: ${bad}: record 0 at byte offset 0: length CRC check failed`));
    });

    it('runs count on a RecordIO file when told the split type', async () => {
      const rec = path.join(root, 'x.rec');
      fs.writeFileSync(rec, Buffer.from('0a23d7ce0100000061000000', 'hex'));
      await program().tfserve.parseAsync(['records', 'count', '--split-type', 'RecordIO', rec], { from: 'user' });
      expect(output).toBe(`1\t${rec}\n`);
    });

    it.each([
      [['records', 'pack', 'in'], "error: required option '-o, --output <outdir>' not specified\n"],
      [['records', 'pack', 'in', '-o', 'out', '--shards', '0'], "error: option '--shards <n>' argument '0' is invalid. --shards must be a whole number >= 1, got '0'\n"],
      [['records', 'inspect', 'f', '--limit', 'ten'], "error: option '--limit <n>' argument 'ten' is invalid. --limit must be a whole number >= 0, got 'ten'\n"],
      [['records', 'count', '--split-type', 'CSV', 'f'], "error: option '--split-type <type>' argument 'CSV' is invalid. Allowed choices are TFRecord, RecordIO, Line.\n"],
    ])('rejects %j', async (args, message) => {
      const { tfserve, stderr } = program();
      await expect(tfserve.parseAsync(args, { from: 'user' })).rejects.toThrow();
      expect(stderr()).toBe(message);
    });
  });
});
