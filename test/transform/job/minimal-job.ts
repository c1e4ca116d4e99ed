/** The smallest valid transform job (its two required locations), shared by the validation and CLI-flag tests. */

export const INPUT_URI = 's3://my-bucket/in/';
export const OUTPUT_URI = 's3://my-bucket/out/';

/** What validation makes of the smallest job: the API's defaults filled in, the execution-parameters fields unset. */
export const MINIMAL_JOB_WITH_DEFAULTS = {
  TransformInput: {
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: INPUT_URI } },
    CompressionType: 'None',
    SplitType: 'None',
  },
  TransformOutput: { S3OutputPath: OUTPUT_URI, AssembleWith: 'None' },
  ModelClientConfig: { InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 3 },
  Environment: {},
  DataProcessing: { InputFilter: '$', OutputFilter: '$', JoinSource: 'None' },
};
