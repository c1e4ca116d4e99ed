import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { localJob, readTree, useRecordingContainer, writeFiles } from './recording-container';

/** Output order under concurrency, and MaxPayloadInMB packing, against the real container. */

const MiB = 1024 * 1024;
/** Large bodies compared by length and digest: jest compares Buffers element by element, which takes minutes. */
const digests = (bodies: Uint8Array[]) => bodies.map((body) => `${body.length}:${createHash('sha256').update(body).digest('hex')}`);

describe('runLocalTransform: concurrency and payload limits', () => {
  const rig = useRecordingContainer('concurrency');

  const numbers = (from: number, count: number) => Array.from({ length: count }, (_, i) => `${from + i}\n`).join('');

  it('writes the same bytes in input order with MaxConcurrentTransforms 1 and 16', async () => {
    const input = path.join(rig.work, 'order', 'in');
    writeFiles(input, { 'a.csv': numbers(0, 60), 'b.csv': numbers(1000, 45), 'c/d.csv': numbers(-30, 30) });
    const outputs: Record<number, Record<string, Buffer>> = {};
    const bodies: Record<number, string[]> = {};
    for (const concurrency of [1, 16]) {
      rig.model.reset();
      const output = path.join(rig.work, 'order', `out-${concurrency}`);
      const result = await runLocalTransform(
        localJob(input, output, {
          TransformInput: { ContentType: 'text/csv', SplitType: 'Line' },
          TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line' },
          BatchStrategy: 'SingleRecord',
          MaxConcurrentTransforms: concurrency,
        }),
        { endpoint: rig.server.url },
      );
      expect(result.status).toBe('Completed');
      expect(result.settings.maxConcurrentTransforms).toBe(concurrency);
      outputs[concurrency] = readTree(output);
      bodies[concurrency] = rig.model.requests().map((body) => body.toString());
    }
    const expectedLine = (x: number) => `${(0.5 * x + 3).toFixed(1)}\n`;
    const expected = (from: number, count: number) => Array.from({ length: count }, (_, i) => expectedLine(from + i)).join('');
    expect(outputs[1]['a.csv.out'].toString()).toBe(expected(0, 60));
    expect(outputs[1]['b.csv.out'].toString()).toBe(expected(1000, 45));
    expect(outputs[1]['c/d.csv.out'].toString()).toBe(expected(-30, 30));
    expect(outputs[16]).toEqual(outputs[1]);
    expect([...bodies[16]].sort()).toEqual([...bodies[1]].sort());
    expect(bodies[1]).toHaveLength(135);
  });

  it('packs whole TFRecords greedily up to MaxPayloadInMB, never across files', async () => {
    const input = path.join(rig.work, 'packing', 'in');
    const record = (fill: number) => frameTfRecord(new Uint8Array(400_000).fill(fill));
    const a = [1, 2, 3, 4, 5].map(record);
    const b = [6].map(record);
    writeFiles(input, { 'a.tfrecord': Buffer.concat(a), 'b.tfrecord': Buffer.concat(b) });
    rig.model.reset();
    const result = await runLocalTransform(
      localJob(input, path.join(rig.work, 'packing', 'out'), {
        TransformInput: { ContentType: 'application/octet-stream', SplitType: 'TFRecord' },
        TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line' },
        BatchStrategy: 'MultiRecord',
        MaxPayloadInMB: 1,
        MaxConcurrentTransforms: 1,
      }),
      { endpoint: rig.server.url },
    );
    expect(result.status).toBe('Completed');
    // 400,016-byte frames: two fit in 1 MiB (800,032 bytes), three do not.
    expect(digests(rig.model.requests())).toEqual(digests([Buffer.concat([a[0], a[1]]), Buffer.concat([a[2], a[3]]), a[4], b[0]]));
    expect(rig.model.requests().every((body) => body.length <= MiB)).toBe(true);
    expect(result.objects.map((object) => object.requests)).toEqual([3, 1]);
  });

  it('packs lines up to the limit, each with its newline, and sends a whole object with MaxPayloadInMB 0', async () => {
    const input = path.join(rig.work, 'lines', 'in');
    const line = (c: string) => `${c.repeat(300_000)}\n`;
    const text = ['a', 'b', 'c', 'd', 'e'].map(line).join('');
    writeFiles(input, { 'a.txt': text });
    const job = (maxPayloadInMB: number, out: string) =>
      localJob(input, path.join(rig.work, 'lines', out), {
        TransformInput: { ContentType: 'application/octet-stream', SplitType: 'Line' },
        BatchStrategy: 'MultiRecord',
        MaxPayloadInMB: maxPayloadInMB,
        MaxConcurrentTransforms: 1,
      });
    rig.model.reset();
    await runLocalTransform(job(1, 'out-1'), { endpoint: rig.server.url });
    expect(digests(rig.model.requests())).toEqual(digests([text.slice(0, 900_003), text.slice(900_003)].map((part) => Buffer.from(part))));
    rig.model.reset();
    await runLocalTransform(job(0, 'out-0'), { endpoint: rig.server.url });
    expect(digests(rig.model.requests())).toEqual(digests([Buffer.from(text)]));
  });

  it('fails only the object holding a record larger than MaxPayloadInMB', async () => {
    const input = path.join(rig.work, 'too-large', 'in');
    const output = path.join(rig.work, 'too-large', 'out');
    writeFiles(input, {
      'big.tfrecord': Buffer.concat([frameTfRecord(new Uint8Array(10)), frameTfRecord(new Uint8Array(MiB + 1))]),
      'small.tfrecord': frameTfRecord(new Uint8Array(10)),
    });
    const result = await runLocalTransform(
      localJob(input, output, {
        TransformInput: { ContentType: 'application/octet-stream', SplitType: 'TFRecord' },
        BatchStrategy: 'SingleRecord',
        MaxPayloadInMB: 1,
      }),
      { endpoint: rig.server.url },
    );
    expect(result.status).toBe('Failed');
    expect(result.objects[0]).toMatchObject({ key: 'big.tfrecord', status: 'Failed' });
    expect(result.objects[0].error).toMatch(/big\.tfrecord: record 1 at byte offset 26 .*MaxPayloadInMB 1/);
    expect(result.objects[1]).toMatchObject({ key: 'small.tfrecord', status: 'Completed' });
    expect(Object.keys(readTree(output))).toEqual(['small.tfrecord.out']);
  });
});
