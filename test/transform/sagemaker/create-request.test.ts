import { TransformJobValidationError } from '../../../transform/job/job-validation-error';
import { remoteWarnings, toCreateTransformJobRequest } from '../../../transform/sagemaker/create-request';
import { blogOptions, blogTarget, fixedNaming } from './blog-job';

function rejection(run: () => unknown): TransformJobValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof TransformJobValidationError) return error;
    throw error;
  }
  throw new Error('expected a TransformJobValidationError');
}

describe('toCreateTransformJobRequest', () => {
  it("builds exactly the blog's CreateTransformJob request", () => {
    const request = toCreateTransformJobRequest(blogOptions(), blogTarget, fixedNaming);

    expect(request.TransformJobName).toBe('image-classification-tfs-20261122-093005-beef');
    expect(request.ModelName).toBe('image-classification-tfs');
    expect(request.TransformInput).toStrictEqual({
      DataSource: {
        S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://sagemaker-sample-data-us-west-2/batch-transform/open-images/tfrecord/' },
      },
      ContentType: 'application/x-tfexample',
      CompressionType: 'None',
      SplitType: 'TFRecord',
    });
    expect(request.BatchStrategy).toBe('SingleRecord');
    expect(request.TransformOutput).toStrictEqual({ S3OutputPath: 's3://my-bucket/open-images/output/', AssembleWith: 'Line' });
    expect(request.MaxPayloadInMB).toBe(1);
    expect(request.MaxConcurrentTransforms).toBe(64);
    expect(request.Environment).toStrictEqual({
      SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
      SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: '50000',
      SAGEMAKER_TFS_MAX_BATCH_SIZE: '16',
    });
    expect(request.ModelClientConfig).toStrictEqual({ InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 3 });
    expect(request.TransformResources).toStrictEqual({ InstanceType: 'ml.p3.2xlarge', InstanceCount: 2 });
    // Default DataProcessing is left out: it does not apply to TFRecord input.
    expect(Object.keys(request).sort()).toStrictEqual(
      [
        'BatchStrategy',
        'Environment',
        'MaxConcurrentTransforms',
        'MaxPayloadInMB',
        'ModelClientConfig',
        'ModelName',
        'TransformInput',
        'TransformJobName',
        'TransformOutput',
        'TransformResources',
      ].sort(),
    );
  });

  it('uses a given job name as it is', () => {
    const request = toCreateTransformJobRequest(blogOptions(), { ...blogTarget, jobName: 'tfs-image-classification-job-1' }, fixedNaming);
    expect(request.TransformJobName).toBe('tfs-image-classification-job-1');
  });

  it('falls back to the names and resources carried by the options, with one instance by default', () => {
    const options = blogOptions({
      TransformJobName: 'from-options',
      ModelName: 'model-from-options',
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: 'alias/volume' },
    });
    const request = toCreateTransformJobRequest(options, {}, fixedNaming);
    expect(request.TransformJobName).toBe('from-options');
    expect(request.ModelName).toBe('model-from-options');
    expect(request.TransformResources).toStrictEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: 'alias/volume' });

    const defaults = toCreateTransformJobRequest(blogOptions(), { modelName: 'm', instanceType: 'ml.c5.xlarge' }, fixedNaming);
    expect(defaults.TransformResources?.InstanceCount).toBe(1);
  });

  it('leaves out unset optional fields and an empty Environment, keeps non-default DataProcessing and KMS keys', () => {
    const options = blogOptions({
      BatchStrategy: undefined,
      MaxPayloadInMB: undefined,
      MaxConcurrentTransforms: undefined,
      Environment: {},
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: 's3://b/input.manifest' } },
        ContentType: 'application/jsonlines',
        CompressionType: 'Gzip',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: 's3://b/out/', Accept: 'application/jsonlines', AssembleWith: 'Line', KmsKeyId: 'alias/out' },
      DataProcessing: { InputFilter: '$.features', OutputFilter: '$', JoinSource: 'Input' },
    });
    const request = toCreateTransformJobRequest(options, blogTarget, fixedNaming);
    for (const key of ['BatchStrategy', 'MaxPayloadInMB', 'MaxConcurrentTransforms', 'Environment']) expect(request).not.toHaveProperty(key);
    expect(request.DataProcessing).toStrictEqual({ InputFilter: '$.features', OutputFilter: '$', JoinSource: 'Input' });
    expect(request.TransformOutput).toStrictEqual({ S3OutputPath: 's3://b/out/', Accept: 'application/jsonlines', AssembleWith: 'Line', KmsKeyId: 'alias/out' });
    expect(request.TransformInput?.CompressionType).toBe('Gzip');
    expect(request.TransformInput?.DataSource?.S3DataSource).toStrictEqual({ S3DataType: 'ManifestFile', S3Uri: 's3://b/input.manifest' });
  });

  it('keeps MaxPayloadInMB 0 (streaming) rather than dropping it as falsy', () => {
    const request = toCreateTransformJobRequest(blogOptions({ MaxPayloadInMB: 0, MaxConcurrentTransforms: 0 }), blogTarget, fixedNaming);
    expect(request.MaxPayloadInMB).toBe(0);
    expect(request.MaxConcurrentTransforms).toBe(0);
  });

  it('does not share objects with the options', () => {
    const options = blogOptions();
    const request = toCreateTransformJobRequest(options, blogTarget, fixedNaming);
    request.Environment!.EXTRA = '1';
    expect(options.Environment).not.toHaveProperty('EXTRA');
  });

  it('rejects local input and output paths, naming both fields at once', () => {
    const options = blogOptions({
      TransformInput: { ...blogOptions().TransformInput, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: './shards' } } },
      TransformOutput: { S3OutputPath: '/tmp/out', AssembleWith: 'Line' },
    });
    const error = rejection(() => toCreateTransformJobRequest(options, blogTarget, fixedNaming));
    expect(error.problems.map((problem) => problem.path)).toStrictEqual([
      'TransformInput.DataSource.S3DataSource.S3Uri',
      'TransformOutput.S3OutputPath',
    ]);
    expect(error.message).toContain('--input (TransformInput.DataSource.S3DataSource.S3Uri): "./shards" is not in S3');
    expect(error.message).toContain('--output (TransformOutput.S3OutputPath): "/tmp/out" is not in S3');
    expect(error.message).toContain('s3://bucket/prefix/');
  });

  it('reports a missing model and instance type, a bad count and bad names together', () => {
    const error = rejection(() => toCreateTransformJobRequest(blogOptions(), { jobName: 'my_job', instanceCount: 101 }, fixedNaming));
    expect(error.problems).toStrictEqual([
      { path: 'ModelName', flag: '--model-name', message: 'is required for a remote run: the name of an existing SageMaker Model' },
      {
        path: 'TransformJobName',
        flag: '--job-name',
        message: '"my_job" may hold only letters, digits and hyphens, and must start and end with a letter or digit',
      },
      { path: 'TransformResources.InstanceType', flag: '--instance-type', message: 'is required for a remote run, e.g. ml.m5.xlarge' },
      { path: 'TransformResources.InstanceCount', flag: '--instance-count', message: 'is 101; it must be an integer from 1 to 100' },
    ]);
    expect(error.message).toMatch(/^invalid transform job \(4 problems\):/);
  });

  it('rejects an unknown instance type and lists the sizes of its family', () => {
    const error = rejection(() => toCreateTransformJobRequest(blogOptions(), { ...blogTarget, instanceType: 'ml.p3.2xlrge' }, fixedNaming));
    expect(error.message).toContain(
      '--instance-type (TransformResources.InstanceType): "ml.p3.2xlrge" is not a Batch Transform instance type',
    );
    expect(error.message).toContain('ml.p3.2xlarge');
    expect(error.message).toContain('ml.p3.16xlarge');
  });

  it('rejects a model name SageMaker would refuse and a job name over 63 characters', () => {
    const error = rejection(() =>
      toCreateTransformJobRequest(blogOptions(), { ...blogTarget, modelName: 'my.model', jobName: 'j'.repeat(64) }, fixedNaming),
    );
    expect(error.message).toContain('--model-name (ModelName): "my.model" may hold only');
    expect(error.message).toContain('--job-name (TransformJobName): "jjjj');
    expect(error.message).toContain('is 64 characters long');
  });
});

describe('remoteWarnings', () => {
  it('has nothing to say about the blog job', () => {
    expect(remoteWarnings(blogOptions())).toStrictEqual([]);
  });

  it('warns about an input prefix without a trailing slash and an output inside the input', () => {
    const options = blogOptions({
      TransformInput: { ...blogOptions().TransformInput, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/data' } } },
      TransformOutput: { S3OutputPath: 's3://b/data/out/', AssembleWith: 'Line' },
    });
    const warnings = remoteWarnings(options);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('s3://b/data does not end with "/"');
    expect(warnings[1]).toContain('inside the input prefix');
  });
});
