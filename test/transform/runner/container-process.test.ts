import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLocalTransform } from '../../../transform/runner/run-local-transform';
import { localJob, readTree, tempDir, writeFiles, writeRecordingModel, type RecordingModel } from './recording-container';

/**
 * The default target: the project's container started for the job from --model-dir, in a child process whose
 * environment is the job's (SAGEMAKER_BATCH and the batch settings the job sets, its Environment), stopped after.
 */

describe('runLocalTransform with a model directory', () => {
  let model: RecordingModel;
  let work: string;

  beforeAll(async () => {
    model = await writeRecordingModel();
    work = tempDir('child');
    writeFiles(path.join(work, 'in'), { 'a.csv': '1\n2\n', 'b.csv': '3\n' });
  });
  afterAll(() => {
    model.remove();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const job = (out: string, extra: Record<string, unknown>) =>
    localJob(path.join(work, 'in'), path.join(work, out), {
      TransformInput: { ContentType: 'text/csv', SplitType: 'Line' },
      TransformOutput: { Accept: 'text/csv', AssembleWith: 'Line' },
      ...extra,
    });

  it('starts the container with the job environment and the settings the job sets', async () => {
    const result = await runLocalTransform(
      job('out-set', { BatchStrategy: 'SingleRecord', MaxPayloadInMB: 2, MaxConcurrentTransforms: 3, Environment: { MY_FLAG: 'on' } }),
      { modelDir: model.root },
    );
    expect(result.status).toBe('Completed');
    expect(model.env()).toMatchObject({
      SAGEMAKER_BATCH: 'true',
      SAGEMAKER_BATCH_STRATEGY: 'SINGLE_RECORD',
      SAGEMAKER_MAX_PAYLOAD_IN_MB: '2',
      SAGEMAKER_MAX_CONCURRENT_TRANSFORMS: '3',
      MY_FLAG: 'on',
    });
    expect(readTree(path.join(work, 'out-set'))).toEqual({ 'a.csv.out': Buffer.from('3.5\n4.0\n'), 'b.csv.out': Buffer.from('4.5\n') });
  });

  it("takes what the job leaves unset from the container's /execution-parameters", async () => {
    model.reset();
    const result = await runLocalTransform(job('out-unset', { Environment: { TFSERVE_WORKERS: '3' } }), { modelDir: model.root });
    // tfserve answers MaxConcurrentTransforms = its workers, MULTI_RECORD, and 6 MB (within 100 / 3).
    expect(result.settings).toEqual({ batchStrategy: 'MultiRecord', maxConcurrentTransforms: 3, maxPayloadInMB: 6 });
    expect(model.env().SAGEMAKER_BATCH_STRATEGY).toBeUndefined();
    // One MultiRecord request per file (the files run concurrently, so in either order): the container answers its
    // CSV lines, AssembleWith Line ends the answer.
    expect(model.requests().map(String).sort()).toEqual(['1\n2\n', '3\n']);
    expect(readTree(path.join(work, 'out-unset'))).toEqual({ 'a.csv.out': Buffer.from('3.5\n4.0\n'), 'b.csv.out': Buffer.from('4.5\n') });
  });

  it("fails before any work when the container cannot start, with the container's own words", async () => {
    const empty = tempDir('no-models');
    try {
      await expect(runLocalTransform(job('out-none', {}), { modelDir: empty })).rejects.toThrow(/container process exited \(code 1\)[\s\S]*container: /);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
