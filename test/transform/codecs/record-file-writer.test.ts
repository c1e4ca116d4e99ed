import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordFileWriter } from '../../../transform/codecs/record-file-writer';
import { tfRecordCodec } from '../../../transform/codecs/tfrecord-codec';
import { ascii, noise } from '../../support/bytes';
import { collect } from './chunking';

describe('RecordFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-record-writer-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const codec = tfRecordCodec();

  it('writes framed records that read back, and shows the file only once closed', async () => {
    const target = path.join(dir, 'out.tfrecord');
    const writer = await RecordFileWriter.open(target, codec);
    const payloads = [ascii('a'), noise(100_000, 2), new Uint8Array(0)];
    for (const payload of payloads) await writer.write(payload);
    expect(fs.existsSync(target)).toBe(false);
    expect(writer.written).toEqual({ records: 3, bytes: 3 * 16 + 100_001 });
    await writer.close();
    expect(fs.readdirSync(dir)).toEqual(['out.tfrecord']);
    const records = await collect(codec.split(fs.createReadStream(target), target));
    expect(records.map((r) => Buffer.from(r.payload).toString('hex'))).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
  });

  it('leaves the previous file and no temporary behind when aborted', async () => {
    const target = path.join(dir, 'out.tfrecord');
    fs.writeFileSync(target, 'previous');
    const writer = await RecordFileWriter.open(target, codec);
    await writer.write(ascii('never published'));
    await writer.abort();
    expect(fs.readdirSync(dir)).toEqual(['out.tfrecord']);
    expect(fs.readFileSync(target, 'utf8')).toBe('previous');
  });

  it('fails to open in a directory that does not exist', async () => {
    await expect(RecordFileWriter.open(path.join(dir, 'missing', 'x.tfrecord'), codec)).rejects.toThrow(/ENOENT/);
  });
});
