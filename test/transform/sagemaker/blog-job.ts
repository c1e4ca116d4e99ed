import type { TransformJobOptions } from '../../../transform/job/options';

/**
 * The AWS blog's job ("Performing batch inference with TensorFlow Serving in Amazon SageMaker", CLI notebook
 * tensorflow_open-images_tfrecord): 100 TFRecord shards of JPEG tf.Examples, one record per request, predictions joined
 * by newlines, 64 concurrent 1 MB requests per ml.p3.2xlarge and TF Serving's request batching switched on.
 */
export function blogOptions(overrides: Partial<TransformJobOptions> = {}): TransformJobOptions {
  return {
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://sagemaker-sample-data-us-west-2/batch-transform/open-images/tfrecord/' } },
      ContentType: 'application/x-tfexample',
      CompressionType: 'None',
      SplitType: 'TFRecord',
    },
    TransformOutput: { S3OutputPath: 's3://my-bucket/open-images/output/', AssembleWith: 'Line' },
    BatchStrategy: 'SingleRecord',
    MaxPayloadInMB: 1,
    MaxConcurrentTransforms: 64,
    ModelClientConfig: { InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 3 },
    Environment: {
      SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
      SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: '50000',
      SAGEMAKER_TFS_MAX_BATCH_SIZE: '16',
    },
    DataProcessing: { InputFilter: '$', OutputFilter: '$', JoinSource: 'None' },
    ...overrides,
  };
}

export const blogTarget = { modelName: 'image-classification-tfs', instanceType: 'ml.p3.2xlarge', instanceCount: 2 };

/** A fixed clock and entropy, so generated job names are known in advance. */
export const fixedNaming = { now: () => new Date(Date.UTC(2026, 10, 22, 9, 30, 5)), randomHex: () => 'beef' };
