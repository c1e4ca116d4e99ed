import type { SplitRecord } from '../../../transform/codecs/record-codec';
import { codecFor } from '../../../transform/codecs/codec-for';
import { payloadsOf, type Payload, type PayloadPlan } from '../../../transform/runner/payloads';

async function* source(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text);
}

async function collect(records: AsyncIterable<SplitRecord>, plan: Partial<PayloadPlan>): Promise<Payload[]> {
  const payloads: Payload[] = [];
  for await (const payload of payloadsOf(records, { strategy: 'MultiRecord', limitBytes: Infinity, source: 'f', keepInput: false, ...plan })) {
    payloads.push(payload);
  }
  return payloads;
}

const lines = (text: string) => codecFor('Line').split(source(text), 'f');
const bodies = (payloads: Payload[]) => payloads.map((payload) => payload.body.toString());

describe('payloadsOf', () => {
  it('sends one record per body, framing stripped, with SingleRecord', async () => {
    const payloads = await collect(lines('a\nbb\nccc'), { strategy: 'SingleRecord', limitBytes: 3 });
    expect(bodies(payloads)).toEqual(['a', 'bb', 'ccc']);
    expect(payloads.map((p) => [p.index, p.firstRecord, p.recordCount])).toEqual([[0, 0, 1], [1, 1, 1], [2, 2, 1]]);
  });

  it('packs whole lines greedily, the limit counting their newlines', async () => {
    // 'a\n' + 'bb\n' = 5 bytes fit in 5; 'ccc\n' would make 9.
    expect(bodies(await collect(lines('a\nbb\nccc\nd\n'), { limitBytes: 5 }))).toEqual(['a\nbb\n', 'ccc\n', 'd\n']);
    expect(bodies(await collect(lines('a\nbb\nccc\nd\n'), { limitBytes: Infinity }))).toEqual(['a\nbb\nccc\nd\n']);
  });

  it('names the record, its offset and the setting when one record is over the limit', async () => {
    const MiB = 1024 * 1024;
    await expect(collect(lines(`a\n${'b'.repeat(MiB)}\n`), { limitBytes: MiB })).rejects.toThrow(
      'f: record 1 at byte offset 2 is 1048577 bytes, more than MaxPayloadInMB 1 (1048576 bytes) allows in one request',
    );
  });

  it('filters each record before counting it, and keeps the unfiltered records for a join', async () => {
    const payloads = await collect(lines('1,a\n2,b\n'), { filter: (record) => Buffer.from(Buffer.from(record).toString().replace(/^\d,/, '')), keepInput: true });
    expect(bodies(payloads)).toEqual(['a\nb\n']);
    expect(payloads[0].input?.toString()).toBe('1,a\n2,b\n');
  });
});
