import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { RunningServer } from '../../../container/server/serve';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { startLocalS3, type LocalS3 } from '../../support/local-s3';
import { localJob, startContainer, writeRecordingModel, type RecordingModel } from './recording-container';

/** Input listed and read from S3, outputs written there — through a real local S3 server (fauxqs). */

describe('runLocalTransform with S3 input and output', () => {
  let s3: LocalS3;
  let model: RecordingModel;
  let server: RunningServer;

  beforeAll(async () => {
    [s3, model] = await Promise.all([startLocalS3(), writeRecordingModel()]);
    server = await startContainer(model.root);
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
    model?.remove();
  });

  it('writes <key>.out under the output prefix for each object that succeeded, nothing for the one that failed', async () => {
    const bucket = await s3.bucket('transform-data');
    const inputs = { 'batch/in/a.csv': '1\n2\n', 'batch/in/nested/b.csv': '3\n', 'batch/in/c.csv': 'FAIL\n', 'batch/in-other/x.csv': '9\n' };
    for (const [Key, Body] of Object.entries(inputs)) await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));

    const result = await runLocalTransform(
      localJob(`s3://${bucket}/batch/in/`, `s3://${bucket}/batch/out`, {
        TransformInput: { ContentType: 'text/csv', SplitType: 'Line' },
        TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line' },
        BatchStrategy: 'SingleRecord',
        ModelClientConfig: { InvocationsMaxRetries: 0 },
      }),
      { endpoint: server.url, s3: s3.client },
    );

    expect(result.objects.map(({ key, status }) => [key, status])).toEqual([
      ['a.csv', 'Completed'],
      ['c.csv', 'Failed'],
      ['nested/b.csv', 'Completed'],
    ]);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'batch/out/' }));
    expect((listed.Contents ?? []).map((object) => object.Key)).toEqual(['batch/out/a.csv.out', 'batch/out/nested/b.csv.out']);
    const read = async (Key: string) => (await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString();
    expect(await read('batch/out/a.csv.out')).toBe('3.5\n4.0\n');
    expect(await read('batch/out/nested/b.csv.out')).toBe('4.5\n');
  });
});
