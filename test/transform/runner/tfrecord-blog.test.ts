import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDemoModels } from '../../../container/engine/writer/demo-models';
import { encodeExample } from '../../../container/formats/example';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import type { RunningServer } from '../../../container/server/serve';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { localJob, readTree, startContainer, tempDir, writeFiles } from './recording-container';

/**
 * The AWS blog's TFRecord job (aws/amazon-sagemaker-examples tensorflow_open-images_tfrecord): SplitType TFRecord,
 * BatchStrategy SingleRecord, AssembleWith Line, ContentType application/x-tfexample — on the plain half_plus_three
 * SavedModel, no hooks: the container reads each tf.Example itself (feature `x` → input `x`).
 */

describe('the blog TFRecord job on half_plus_three', () => {
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    root = tempDir('blog');
    await writeDemoModels(path.join(root, 'models'));
    server = await startContainer(path.join(root, 'models'));
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const shard = (values: number[]) => Buffer.concat(values.map((x) => frameTfRecord(encodeExample({ x: { kind: 'float', values: [x] } }))));

  it('writes one JSON line per example, in order, per shard', async () => {
    writeFiles(path.join(root, 'in'), { 'part-00000.tfrecord': shard([1, 2, 5]), 'part-00001.tfrecord': shard([-2]) });
    const result = await runLocalTransform(
      localJob(path.join(root, 'in'), path.join(root, 'out'), {
        TransformInput: { ContentType: 'application/x-tfexample', SplitType: 'TFRecord' },
        TransformOutput: { Accept: 'application/json', AssembleWith: 'Line' },
        BatchStrategy: 'SingleRecord',
        MaxConcurrentTransforms: 4,
      }),
      { endpoint: server.url },
    );
    expect(result.objects.map((object) => object.error)).toEqual([undefined, undefined]);
    const lines = (key: string) => readTree(path.join(root, 'out'))[key].toString().split('\n');
    const predictions = (key: string) => lines(key).slice(0, -1).map((line) => (JSON.parse(line) as { predictions: number[] }).predictions);
    expect(predictions('part-00000.tfrecord.out')).toEqual([[3.5], [4], [5.5]]);
    expect(predictions('part-00001.tfrecord.out')).toEqual([[2]]);
  });
});
