import type { DescribeTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { logHintLines } from './job-links';

/** The human-readable lines a remote run prints; pure, so the wording is tested without a job. */

/** `250ms`, `12s`, `4m 05s`, `1h 02m 03s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) return `${hours}h ${two(minutes)}m ${two(seconds)}s`;
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`;
  return `${seconds}s`;
}

function instances(job: Pick<DescribeTransformJobCommandOutput, 'TransformResources'>): string {
  const resources = job.TransformResources;
  return resources ? `${resources.InstanceCount ?? 1} × ${resources.InstanceType}` : 'the instances';
}

/** Billed instance time: SageMaker bills from TransformStartTime to TransformEndTime on every instance. */
export function billedLine(job: DescribeTransformJobCommandOutput): string | undefined {
  const { TransformStartTime: start, TransformEndTime: end } = job;
  if (!start || !end) return undefined;
  return `billed: ${formatDuration(end.getTime() - start.getTime())} on ${instances(job)}`;
}

export function startedLine(job: DescribeTransformJobCommandOutput): string {
  return `instances started (${instances(job)}); billing runs from here until the job ends`;
}

export function completedLines(job: DescribeTransformJobCommandOutput, elapsedMs: number): string[] {
  const output = job.TransformOutput?.S3OutputPath;
  return [
    `Completed after ${formatDuration(elapsedMs)}`,
    ...(output ? [`output: ${output} (one <input key>.out per input object)`] : []),
    ...[billedLine(job)].filter((line): line is string => line !== undefined),
  ];
}

export function failedLines(job: DescribeTransformJobCommandOutput, region: string, consoleUrl: string): string[] {
  const jobName = job.TransformJobName ?? '';
  return [
    `Failed: ${job.FailureReason ?? '(SageMaker gave no FailureReason)'}`,
    ...logHintLines(region, jobName),
    `job: ${consoleUrl}`,
  ];
}

export function stoppedLines(stopRequested: boolean): string[] {
  return [
    `Stopped${stopRequested ? ' at your request' : ' (by someone else)'}; SageMaker keeps no output of a stopped job`,
  ];
}

/** After Ctrl-C without stopping: the job goes on, so say how to follow or stop it. */
export function detachedLines(jobName: string, region: string, consoleUrl: string): string[] {
  return [
    `left ${jobName} running; tfserve no longer watches it`,
    `  status: aws sagemaker describe-transform-job --transform-job-name ${jobName} --region ${region}`,
    `  stop:   aws sagemaker stop-transform-job --transform-job-name ${jobName} --region ${region}`,
    `  ${consoleUrl}`,
  ];
}
