import { PassThrough } from 'node:stream';
import { createProgress } from '../../../transform/runner/progress';
import type { ObjectResult, TransformResult } from '../../../transform/runner/transform-result';

const done: ObjectResult = { key: 'a.csv', status: 'Completed', records: 2, requests: 2, bytesIn: 4, bytesOut: 8 };
const failed: ObjectResult = { key: 'b.csv', status: 'Failed', records: 0, requests: 0, bytesIn: 5, bytesOut: 0, error: 'bad record' };
const result: TransformResult = { status: 'Failed', settings: { batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 1 }, objects: [done, failed], seconds: 1 };

function drive(tty: boolean, intervalMs?: number) {
  // cli-progress draws only on a stream that says it is a terminal.
  const stream = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const progress = createProgress({ stream, tty, intervalMs });
  return { progress, text: () => text };
}

describe('createProgress', () => {
  it('draws a bar with bytes, records, objects and the ETA on a terminal', () => {
    const { progress, text } = drive(true);
    progress.jobStarted(2, 9);
    progress.bytesRead(4);
    progress.recordsDone(2);
    progress.objectFinished(done);
    progress.bytesRead(5);
    progress.objectFinished(failed);
    progress.jobFinished(result);
    expect(text()).toMatch(/100% \| 9 B \/ 9 B \| 2 records \([\d.-]+\/s\) \| 2\/2 objects, 1 failed \| ETA /);
  });

  it('writes plain lines elsewhere: the start, each object, and a progress line per interval', async () => {
    const { progress, text } = drive(false, 20);
    progress.jobStarted(2, 9);
    progress.bytesRead(4);
    progress.recordsDone(2);
    progress.objectFinished(done);
    for (let i = 0; i < 100 && !text().includes('progress:'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    progress.objectFinished(failed);
    progress.jobFinished(result);
    expect(text()).toMatch(/^transforming 2 objects, 9 B\na\.csv: Completed, 2 records, 4 B in, 8 B out\n/);
    expect(text()).toMatch(/\nprogress: 44% 4 B \/ 9 B, 2 records \([\d.-]+\/s\), 1\/2 objects\n/);
    expect(text()).toMatch(/\nb\.csv: Failed, 0 records, 5 B in, 0 B out: bad record\n$/);
  });
});
