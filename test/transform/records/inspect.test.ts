import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FormatError } from '../../../container/errors';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { inspectExamples, type InspectedRecord } from '../../../transform/records/inspect';
import { exampleRecords, writeTfRecordFile } from './records-fixture';

async function collect(records: AsyncIterable<InspectedRecord>): Promise<InspectedRecord[]> {
  const out: InspectedRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

describe('inspectExamples', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-inspect-records-'));
    file = path.join(dir, 'x.tfrecord');
    writeTfRecordFile(file, exampleRecords(3));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('decodes every record as a tf.Example', async () => {
    const records = await collect(inspectExamples(file, { maxBytes: 3 }));
    expect(records.map((r) => r.record)).toEqual([0, 1, 2]);
    expect(records[0].offset).toBe(0);
    expect(records[1]).toEqual({
      record: 1,
      offset: records[1].offset,
      features: {
        blob: { bytes: [{ base64: 'AQID', length: 100, truncated: true }] },
        id: { int64: [1, '1152921504606846976'] },
        name: { bytes: ['item 1'] },
        score: { float: [0.1, 1.5, -1] },
      },
    });
  });

  it('stops after limit records', async () => {
    expect((await collect(inspectExamples(file, { limit: 2 }))).map((r) => r.record)).toEqual([0, 1]);
    expect(await collect(inspectExamples(file, { limit: 0 }))).toEqual([]);
  });

  it('names the record whose payload is not a tf.Example', async () => {
    fs.appendFileSync(file, frameTfRecord(Uint8Array.of(0xff, 0xff, 0xff)));
    const error = await collect(inspectExamples(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(new RegExp(`^${file}: record 3 at byte offset \\d+: not a valid Example protobuf`));
  });
});
