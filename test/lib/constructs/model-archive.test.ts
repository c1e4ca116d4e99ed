import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { ModelArchive } from '../../../lib/constructs/model-archive';
import { captureError, packDemoModel, tempDir, testApp, TEST_ENV } from '../cdk-fixtures';

describe('ModelArchive', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = tempDir('archive');
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  test('packing the demo models twice gives the same bytes and the same asset hash', async () => {
    // GIVEN two packs of the same directory at different times, into different places
    const first = await packDemoModel(fs.mkdtempSync(path.join(workDir, 'a-')));
    const second = await packDemoModel(fs.mkdtempSync(path.join(workDir, 'b-')));
    expect(fs.readFileSync(first).equals(fs.readFileSync(second))).toBe(true);
    // WHEN each becomes a ModelArchive asset
    const stack = new Stack(testApp(path.join(workDir, 'cdk.out')), 'Archive', { env: TEST_ENV });
    const a = new ModelArchive(stack, 'A', { archiveFile: first });
    const b = new ModelArchive(stack, 'B', { archiveFile: second });
    // THEN the asset (and so the S3 key SageMaker reads) is the same
    expect(a.asset!.assetHash).toBe(b.asset!.assetHash);
    expect(stack.resolve(a.modelDataUrl)).toEqual(stack.resolve(b.modelDataUrl));
    expect(stack.resolve(a.modelDataUrl)).toMatch(/^s3:\/\/cdk-[a-z0-9]+-assets-123456789012-us-east-1\/[0-9a-f]{64}\.gz$/);
    expect(a.isPrefix).toBe(false);
  });

  test('S3 URIs: one archive, or a multi-model prefix', () => {
    const stack = new Stack(testApp(), 'S3');
    const single = new ModelArchive(stack, 'Single', { s3Uri: 's3://models-bucket/a/model.tar.gz' });
    expect([single.bucketName, single.objectKey, single.isPrefix, single.asset]).toEqual([
      'models-bucket',
      'a/model.tar.gz',
      false,
      undefined,
    ]);
    const prefix = new ModelArchive(stack, 'Prefix', { s3Uri: 's3://models-bucket/mme/' });
    expect([prefix.objectKey, prefix.isPrefix, prefix.modelDataUrl]).toEqual(['mme/', true, 's3://models-bucket/mme/']);
  });

  test('bad props: every problem is reported in one error', () => {
    const stack = new Stack(testApp(), 'Bad');
    expect(captureError(() => new ModelArchive(stack, 'None', {}))).toMatch(/one of archiveFile .* or s3Uri is required/);
    const error = captureError(() => new ModelArchive(stack, 'Both', { archiveFile: 'model.zip', s3Uri: 'https://x/y' }));
    expect(error).toMatch(/Bad\/Both: invalid props/);
    expect(error).toMatch(/archiveFile and s3Uri are mutually exclusive/);
    expect(error).toMatch(/archiveFile must be a \.tar\.gz .* \(got "model\.zip"\)/);
    expect(error).toMatch(/s3Uri must be s3:\/\/<bucket>\/<key>\.tar\.gz .* \(got "https:\/\/x\/y"\)/);
  });
});
