import {
  ResourceLimitExceeded,
  SageMakerClient,
  SageMakerServiceException,
  type DescribeTransformJobCommandOutput,
  type TransformJobStatus,
} from '@aws-sdk/client-sagemaker';
import type { RemoteJobLog } from '../../../transform/sagemaker/run-remote-job';

/** Shared pieces for the remote-job tests: a client that never signs or sends, recorded logs and sleeps, SDK errors. */

export const REGION = 'us-west-2';

/** `send` is replaced by aws-sdk-client-mock; the region is real because the runner reads it for its links. */
export function testClient(): SageMakerClient {
  return new SageMakerClient({ region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

export interface RecordedLog extends RemoteJobLog {
  lines: string[];
  /** What `progress` drew, kept apart from the lines. */
  statusLines: string[];
  text(): string;
}

export function recordingLog(): RecordedLog {
  const lines: string[] = [];
  const statusLines: string[] = [];
  return {
    lines,
    statusLines,
    progress: (message) => statusLines.push(message),
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
    text: () => lines.join('\n'),
  };
}

/** A sleep that returns at once and records what was asked; `onSleep` runs before it returns (e.g. to press Ctrl-C). */
export function fakeSleep(onSleep: (count: number) => void = () => undefined): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
      onSleep(delays.length);
    },
  };
}

export function describeOutput(
  status: TransformJobStatus,
  extra: Partial<DescribeTransformJobCommandOutput> = {},
): DescribeTransformJobCommandOutput {
  return {
    $metadata: {},
    TransformJobName: 'blog-job',
    TransformJobArn: `arn:aws:sagemaker:${REGION}:123456789012:transform-job/blog-job`,
    TransformJobStatus: status,
    ModelName: 'image-classification-tfs',
    TransformInput: undefined,
    TransformResources: { InstanceType: 'ml.p3.2xlarge', InstanceCount: 2 },
    TransformOutput: { S3OutputPath: 's3://my-bucket/open-images/output/' },
    CreationTime: new Date(Date.UTC(2026, 10, 22, 9, 30, 0)),
    ...extra,
  };
}

export function serviceError(name: string, message: string, httpStatusCode = 400): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    message,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}

export const throttling = () => serviceError('ThrottlingException', 'Rate exceeded');

export const quotaError = () =>
  new ResourceLimitExceeded({
    message: "The account-level service limit 'ml.p3.2xlarge for transform job usage' is 0 Instances",
    $metadata: { httpStatusCode: 400 },
  });
