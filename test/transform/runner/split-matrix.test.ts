import * as path from 'node:path';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { frameRecordIo } from '../../../transform/codecs/recordio';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { localJob, readTree, useRecordingContainer, writeFiles } from './recording-container';

/**
 * Every SplitType × BatchStrategy × AssembleWith against the real container: the exact bytes of every request it
 * received, and the exact bytes and order of every output file. The expected output is built from the container's
 * own answers to the expected request bodies, so the test checks the runner, not the container's number format.
 */

const bytes = (...values: number[]) => Uint8Array.from(values);
const frames = (frame: (payload: Uint8Array) => Uint8Array, payloads: Uint8Array[]) => Buffer.concat(payloads.map(frame));

interface Dataset {
  contentType: string;
  /** Input files by key, and each file's records as SingleRecord sends them. */
  files: Record<string, { content: Buffer; records: Buffer[] }>;
}

const binaryPayloads = { a: [bytes(1), bytes(1, 2, 3, 4, 5), bytes()], b: [bytes(9, 9, 9, 9, 9, 9, 9, 9)], 'sub/c': [bytes(7, 7)] };

function binaryDataset(frame: (payload: Uint8Array) => Uint8Array, ext: string): Dataset {
  const files: Dataset['files'] = {};
  for (const [name, payloads] of Object.entries(binaryPayloads)) {
    files[`${name}.${ext}`] = { content: frames(frame, payloads), records: payloads.map((payload) => Buffer.from(payload)) };
  }
  return { contentType: 'application/octet-stream', files };
}

const lines = (text: string) => ({ content: Buffer.from(text), records: text.split('\n').filter((line) => line !== '').map((line) => Buffer.from(line)) });

const DATASETS: Record<'None' | 'Line' | 'RecordIO' | 'TFRecord', Dataset> = {
  None: { contentType: 'text/csv', files: { 'a.csv': lines('1\n2\n3\n'), 'b.csv': lines('4\n5'), 'sub/c.csv': lines('6\n') } },
  Line: { contentType: 'text/csv', files: { 'a.csv': lines('1\n2\n3\n'), 'b.csv': lines('4\n5'), 'sub/c.csv': lines('6\n') } },
  RecordIO: binaryDataset(frameRecordIo, 'rec'),
  TFRecord: binaryDataset(frameTfRecord, 'tfrecord'),
};

type Case = [split: keyof typeof DATASETS, strategy: 'SingleRecord' | 'MultiRecord' | undefined, assemble: 'None' | 'Line'];
const CASES: Case[] = [];
for (const assemble of ['None', 'Line'] as const) {
  CASES.push(['None', undefined, assemble]);
  for (const split of ['Line', 'RecordIO', 'TFRecord'] as const) {
    for (const strategy of ['SingleRecord', 'MultiRecord'] as const) CASES.push([split, strategy, assemble]);
  }
}

describe('runLocalTransform: SplitType × BatchStrategy × AssembleWith', () => {
  const rig = useRecordingContainer('matrix');

  async function answer(body: Buffer, contentType: string): Promise<Buffer> {
    const response = await fetch(`${rig.server.url}/invocations`, { method: 'POST', body, headers: { 'content-type': contentType, accept: 'text/csv' } });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it.each(CASES)('SplitType %s, BatchStrategy %s, AssembleWith %s', async (split, strategy, assemble) => {
    const dataset = DATASETS[split];
    const name = `${split}-${strategy ?? 'unset'}-${assemble}`;
    const input = path.join(rig.work, name, 'in');
    const output = path.join(rig.work, name, 'out');
    writeFiles(input, Object.fromEntries(Object.entries(dataset.files).map(([key, file]) => [key, file.content])));
    rig.model.reset();

    const result = await runLocalTransform(
      localJob(input, output, {
        TransformInput: { ContentType: dataset.contentType, SplitType: split },
        TransformOutput: { Accept: 'text/csv', AssembleWith: assemble },
        ...(strategy && { BatchStrategy: strategy }),
        MaxConcurrentTransforms: 1,
      }),
      { endpoint: rig.server.url },
    );
    const received = rig.model.requests();

    // SingleRecord: each record's payload, framing stripped; otherwise (MultiRecord, or SplitType None) whole objects.
    const keys = Object.keys(dataset.files).sort();
    const expectedBodies = keys.map((key) => (strategy === 'SingleRecord' ? dataset.files[key].records : [dataset.files[key].content]));
    expect(received).toEqual(expectedBodies.flat());
    expect(result.status).toBe('Completed');
    expect(result.objects.map((object) => object.key)).toEqual(keys);

    rig.model.reset();
    const expectedOutput: Record<string, Buffer> = {};
    for (const [i, key] of keys.entries()) {
      const answers = [];
      for (const body of expectedBodies[i]) answers.push(await answer(body, dataset.contentType), ...(assemble === 'Line' ? [Buffer.from('\n')] : []));
      expectedOutput[`${key}.out`] = Buffer.concat(answers);
    }
    expect(readTree(output)).toEqual(expectedOutput);
  });
});
