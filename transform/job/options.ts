import type { SplitType } from '../codecs/record-codec';

/**
 * The one option model for local and remote Batch Transform runs. Field names, nesting and value spellings are
 * SageMaker's `CreateTransformJob` request, so a job that validates locally is the job that runs remotely.
 * `validate.ts` turns user input into this shape with the API's defaults applied, reporting every violation at once.
 */
export interface TransformJobOptions {
  TransformJobName?: string;
  ModelName?: string;
  TransformInput: {
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix' | 'ManifestFile'; S3Uri: string } };
    ContentType?: string;
    CompressionType: 'None' | 'Gzip';
    SplitType: SplitType;
  };
  TransformOutput: {
    S3OutputPath: string;
    Accept?: string;
    AssembleWith: 'None' | 'Line';
    KmsKeyId?: string;
  };
  /** Unset means "ask the container's /execution-parameters, else MultiRecord", as the service does. */
  BatchStrategy?: 'SingleRecord' | 'MultiRecord';
  /** Unset means /execution-parameters, else 6. 0 means unlimited (the whole object, streamed). */
  MaxPayloadInMB?: number;
  /** Unset means /execution-parameters, else 1. */
  MaxConcurrentTransforms?: number;
  ModelClientConfig: { InvocationsTimeoutInSeconds: number; InvocationsMaxRetries: number };
  Environment: Record<string, string>;
  DataProcessing: { InputFilter: string; OutputFilter: string; JoinSource: 'None' | 'Input' };
  TransformResources?: { InstanceType: string; InstanceCount: number; VolumeKmsKeyId?: string };
}
