import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { frameTfRecord } from '../../../container/formats/tfrecord';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { localJob, readTree, useRecordingContainer, writeFiles } from './recording-container';

/**
 * A failing object fails alone: no `<key>.out` for it, every other object's output present, the job Failed with a
 * FailureReason naming it. Against the real container; the hook's FAIL and SLOW bodies make it answer 500 or slowly.
 */

describe('runLocalTransform: failures', () => {
  const rig = useRecordingContainer('failures');
  beforeEach(() => rig.model.reset());

  const csvJob = (name: string, files: Record<string, string | Uint8Array>, extra: Record<string, unknown> = {}) => {
    const input = path.join(rig.work, name, 'in');
    writeFiles(input, files);
    return localJob(input, path.join(rig.work, name, 'out'), {
      TransformInput: { ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line' },
      BatchStrategy: 'SingleRecord',
      MaxConcurrentTransforms: 4,
      ...extra,
    });
  };
  const outputs = (name: string) => Object.keys(readTree(path.join(rig.work, name, 'out'))).sort();
  const noPause = () => 0;

  it('retries a record the container answers 500 for, then fails only its file', async () => {
    const job = csvJob('http-500', { 'a.csv': '1\nFAIL\n3\n', 'b.csv': '4\n5\n' }, { ModelClientConfig: { InvocationsMaxRetries: 2 } });
    const result = await runLocalTransform(job, { endpoint: rig.server.url, retryDelayMs: noPause });
    const failing = rig.model.requests().filter((body) => body.toString() === 'FAIL');
    expect(failing).toHaveLength(3);
    expect(result.status).toBe('Failed');
    expect(result.objects[0]).toMatchObject({ key: 'a.csv', status: 'Failed', bytesOut: 0 });
    expect(result.objects[0].error).toMatch(/^POST \/invocations for a\.csv record 1 failed after 3 attempts: 500 .*asked to fail/);
    expect(result.objects[1]).toMatchObject({ key: 'b.csv', status: 'Completed', records: 2 });
    expect(result.failureReason).toMatch(/^1 object failed\. a\.csv: POST \/invocations for a\.csv record 1/);
    expect(outputs('http-500')).toEqual(['b.csv.out']);
  });

  it('does not retry a record the model refuses (4xx)', async () => {
    const job = csvJob('http-400', { 'a.csv': '1\nnot-a-number\n', 'b.csv': '4\n' });
    const result = await runLocalTransform(job, { endpoint: rig.server.url, retryDelayMs: noPause });
    expect(rig.model.requests().filter((body) => body.toString() === 'not-a-number')).toHaveLength(1);
    expect(result.objects[0].error).toMatch(/^POST \/invocations for a\.csv record 1 failed: 400 /);
    expect(outputs('http-400')).toEqual(['b.csv.out']);
  });

  it('times a request out after InvocationsTimeoutInSeconds and retries it', async () => {
    const job = csvJob('timeout', { 'a.csv': '1\nSLOW\n', 'b.csv': '4\n' }, { ModelClientConfig: { InvocationsTimeoutInSeconds: 1, InvocationsMaxRetries: 1 } });
    const result = await runLocalTransform(job, { endpoint: rig.server.url, retryDelayMs: noPause });
    expect(rig.model.requests().filter((body) => body.toString() === 'SLOW')).toHaveLength(2);
    expect(result.objects[0].error).toMatch(/a\.csv record 1 failed after 2 attempts: no complete answer within InvocationsTimeoutInSeconds \(1 s\)/);
    expect(result.objects[1].status).toBe('Completed');
    expect(outputs('timeout')).toEqual(['b.csv.out']);
  });

  it('fails a file with a corrupt record (after sending its good ones), and keeps the others', async () => {
    const good = frameTfRecord(new Uint8Array([1, 2, 3]));
    const corrupt = Buffer.from(frameTfRecord(new Uint8Array([4, 5, 6])));
    corrupt[13] ^= 0xff; // a data byte: the data CRC no longer matches
    const job = csvJob(
      'corrupt',
      { 'a.tfrecord': Buffer.concat([good, good, corrupt, good]), 'b.tfrecord': good },
      { TransformInput: { ContentType: 'application/octet-stream', SplitType: 'TFRecord' } },
    );
    const result = await runLocalTransform(job, { endpoint: rig.server.url });
    expect(result.objects[0]).toMatchObject({ key: 'a.tfrecord', status: 'Failed' });
    expect(result.objects[0].error).toMatch(/^a\.tfrecord: record 2 at byte offset 38: data CRC check failed/);
    expect(outputs('corrupt')).toEqual(['b.tfrecord.out']);
  });

  it('gunzips each object when CompressionType is Gzip, and names an object that is not gzip', async () => {
    const job = csvJob(
      'gzip',
      { 'a.csv.gz': gzipSync('1\n2\n'), 'b.csv.gz': '3\n' },
      { TransformInput: { ContentType: 'text/csv', SplitType: 'Line', CompressionType: 'Gzip' } },
    );
    const result = await runLocalTransform(job, { endpoint: rig.server.url });
    expect(readTree(path.join(rig.work, 'gzip', 'out'))['a.csv.gz.out'].toString()).toBe('3.5\n4.0\n');
    expect(result.objects[0].bytesIn).toBe(gzipSync('1\n2\n').length);
    expect(result.objects[1].error).toMatch(/^b\.csv\.gz: cannot decompress \(CompressionType is Gzip\): incorrect header check/);
    expect(outputs('gzip')).toEqual(['a.csv.gz.out']);
  });

  it('joins each input record with its result and filters both (the guide\'s CSV example)', async () => {
    const job = csvJob(
      'join',
      { 'a.csv': 'id-1,1\nid-2,5\n' },
      { DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' }, BatchStrategy: 'MultiRecord' },
    );
    const result = await runLocalTransform(job, { endpoint: rig.server.url });
    expect(result.status).toBe('Completed');
    expect(rig.model.requests().map(String)).toEqual(['1\n5\n']);
    expect(readTree(path.join(rig.work, 'join', 'out'))['a.csv.out'].toString()).toBe('id-1,3.5\nid-2,5.5\n');
  });

  it('refuses a job before any rig.work: invalid options, no target, an empty input', async () => {
    const job = csvJob('refused', {});
    await expect(runLocalTransform({ ...job, MaxPayloadInMB: 101 }, { endpoint: rig.server.url })).rejects.toThrow(/MaxPayloadInMB/);
    await expect(runLocalTransform(job, {})).rejects.toThrow(/--model-dir.*--endpoint/);
    fs.mkdirSync(path.join(rig.work, 'refused', 'in'), { recursive: true });
    await expect(runLocalTransform(job, { endpoint: rig.server.url })).rejects.toThrow(/no input objects found/);
    expect(rig.model.requests()).toHaveLength(0);
  });

  it('refuses a container that never answers /ping', async () => {
    const job = csvJob('no-container', { 'a.csv': '1\n' });
    await expect(runLocalTransform(job, { endpoint: 'http://127.0.0.1:9', readyTimeoutSeconds: 1 })).rejects.toThrow(
      /did not answer GET \/ping with 200 within 1 s/,
    );
  });
});
