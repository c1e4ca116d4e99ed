import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FormatError } from '../../../container/errors';
import { RecordFormatError } from '../../../container/formats/record-format-error';
import { frameRecordIo } from '../../../transform/codecs/recordio';
import { concatBytes } from '../../../transform/codecs/bytes';
import { countRecords, verifyRecordFiles } from '../../../transform/records/scan';
import { exampleRecords, writeTfRecordFile } from './records-fixture';

describe('countRecords and verifyRecordFiles', () => {
  let dir: string;
  let good: string;
  let bad: string;
  const payloads = exampleRecords(5);
  const payloadBytes = payloads.reduce((sum, p) => sum + p.length, 0);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-scan-'));
    good = path.join(dir, 'good.tfrecord');
    bad = path.join(dir, 'bad.tfrecord');
    const bytes = writeTfRecordFile(good, payloads);
    const corrupt = bytes.slice();
    const third = 2 * 16 + payloads[0].length + payloads[1].length;
    corrupt[third + 20] ^= 0xff;
    fs.writeFileSync(bad, corrupt);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts records and payload bytes', async () => {
    expect(await countRecords(good)).toEqual({ file: good, records: 5, payloadBytes });
  });

  it('counts a gzipped file', async () => {
    const gz = path.join(dir, 'good.tfrecord.gz');
    fs.writeFileSync(gz, gzipSync(fs.readFileSync(good)));
    expect(await countRecords(gz)).toEqual({ file: gz, records: 5, payloadBytes });
  });

  it('names a .gz file that is not gzip', async () => {
    const gz = path.join(dir, 'fake.tfrecord.gz');
    fs.copyFileSync(good, gz);
    const error = await countRecords(gz).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(new RegExp(`^${gz}: not a valid gzip file: `));
  });

  it('counts RecordIO and line files', async () => {
    const rec = path.join(dir, 'x.rec');
    fs.writeFileSync(rec, concatBytes(payloads.map(frameRecordIo)));
    expect(await countRecords(rec, 'RecordIO')).toEqual({ file: rec, records: 5, payloadBytes });
    const csv = path.join(dir, 'x.csv');
    fs.writeFileSync(csv, '1,2\n3,4\n');
    expect(await countRecords(csv, 'Line')).toEqual({ file: csv, records: 2, payloadBytes: 6 });
  });

  it('throws the first bad record', async () => {
    await expect(countRecords(bad)).rejects.toMatchObject({ source: bad, recordIndex: 2, check: 'data CRC' });
  });

  it('verifies every file, naming each bad one with the good records before the failure', async () => {
    const missing = path.join(dir, 'missing.tfrecord');
    const results = await verifyRecordFiles([good, bad, missing]);
    expect(results.map(({ file, records }) => [file, records])).toEqual([[good, 5], [bad, 2], [missing, 0]]);
    expect(results[0].error).toBeUndefined();
    expect(results[1].error).toBeInstanceOf(RecordFormatError);
    expect(results[1].error?.message).toMatch(new RegExp(`^${bad}: record 2 at byte offset \\d+: data CRC check failed`));
    expect(results[2].error?.message).toContain('ENOENT');
  });
});
