import { setTimeout as delay } from 'node:timers/promises';
import type {
  CreateTransformJobCommandInput,
  DescribeTransformJobCommandOutput,
  SageMakerClient,
  TransformJobStatus,
} from '@aws-sdk/client-sagemaker';
import { jobCalls } from './job-calls';
import { transformJobConsoleUrl } from './job-links';
import { completedLines, detachedLines, failedLines, stoppedLines } from './job-messages';
import { reportPoll, type PollState } from './poll-report';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type Sleep } from './retry';

export { RemoteJobError } from './job-calls';

/** Compatible with a pino logger and with a plain line writer. */
export interface RemoteJobLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A status line rewritten in place after every poll; only terminals implement it. */
  progress?(message: string): void;
}

export interface RemoteJobDeps {
  client: SageMakerClient;
  log: RemoteJobLog;
  /** Asked once, after `signal` aborts (Ctrl-C): true stops the job, false leaves it running and stops watching. */
  confirmStop: (jobName: string) => Promise<boolean>;
  signal?: AbortSignal;
  /**
   * First wait between DescribeTransformJob calls (default 10 s); it grows ×1.5 up to `maxPollIntervalMs` (default
   * 60 s) and starts again at each status change.
   */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How often an unchanged status is repeated as a line (default 5 min), so a long job shows it is still watched. */
  heartbeatMs?: number;
  sleep?: Sleep;
  now?: () => number;
  retry?: RetryPolicy;
}

export interface RemoteJobResult {
  jobName: string;
  jobArn?: string;
  region: string;
  /** The last status seen; InProgress or Stopping only when `detached`. */
  status: TransformJobStatus;
  failureReason?: string;
  /** StopTransformJob was sent (after confirmation). */
  stopRequested: boolean;
  /** Watching ended on Ctrl-C without stopping: the job is still running. */
  detached: boolean;
  consoleUrl: string;
  description?: DescribeTransformJobCommandOutput;
}

const TERMINAL: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Stopped']);

/** Resolves after `ms`, or at once when `signal` aborts, so Ctrl-C is answered without waiting out a poll interval. */
export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Creates the transform job and watches it to the end: status changes are logged; Failed prints FailureReason with
 * where the container logs are; an abort of `signal` asks `confirmStop`, then sends StopTransformJob and watches until
 * Stopped, or leaves the job running. Throttling and (except for the create) transient errors are retried with backoff;
 * anything else ends in a RemoteJobError with SageMaker's message and a remedy.
 */
export async function runRemoteTransformJob(
  request: CreateTransformJobCommandInput,
  deps: RemoteJobDeps,
): Promise<RemoteJobResult> {
  const { client, log, signal } = deps;
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  const baseInterval = deps.pollIntervalMs ?? 10_000;
  const maxInterval = Math.max(baseInterval, deps.maxPollIntervalMs ?? 60_000);
  const heartbeatMs = deps.heartbeatMs ?? 300_000;

  const jobName = request.TransformJobName;
  if (!jobName) throw new Error('the CreateTransformJob request has no TransformJobName');
  const region = await client.config.region();
  const consoleUrl = transformJobConsoleUrl(region, jobName);
  const resources = request.TransformResources;
  const calls = jobCalls({
    client,
    context: { jobName, region, modelName: request.ModelName, instanceType: resources?.InstanceType },
    policy: deps.retry ?? DEFAULT_RETRY_POLICY,
    sleep,
    warn: (message) => log.warn(message),
  });

  const created = await calls.create(request);
  const startedAt = now();
  log.info(`created transform job ${jobName} (${resources?.InstanceCount ?? 1} × ${resources?.InstanceType})`);
  log.info(`  ${consoleUrl}`);

  let poll: PollState = { lastLineAt: startedAt, instancesStarted: false };
  let stopRequested = false;
  let interval = baseInterval;
  const result = (extra: Partial<RemoteJobResult>): RemoteJobResult => ({
    jobName,
    jobArn: created.TransformJobArn,
    region,
    status: poll.status ?? 'InProgress',
    stopRequested,
    detached: false,
    consoleUrl,
    ...extra,
  });

  for (;;) {
    if (signal?.aborted && !stopRequested) {
      if (!(await deps.confirmStop(jobName))) {
        for (const line of detachedLines(jobName, region, consoleUrl)) log.warn(line);
        return result({ detached: true });
      }
      log.warn(`stopping ${jobName} (StopTransformJob)…`);
      await calls.stop();
      stopRequested = true;
      interval = baseInterval;
    }

    const job = await calls.describe();
    const report = reportPoll(poll, job, { jobName, now: now(), startedAt, heartbeatMs });
    poll = report.state;
    for (const line of report.lines) log.info(line);
    if (report.statusLine) log.progress?.(report.statusLine);
    if (report.statusChanged) interval = baseInterval;

    if (poll.status && TERMINAL.has(poll.status)) {
      reportEnd(poll.status, job);
      return result({ description: job, failureReason: job.FailureReason });
    }
    await sleep(interval, stopRequested ? undefined : signal);
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }

  function reportEnd(status: TransformJobStatus, job: DescribeTransformJobCommandOutput): void {
    if (status === 'Completed') for (const line of completedLines(job, now() - startedAt)) log.info(line);
    if (status === 'Failed') for (const line of failedLines(job, region, consoleUrl)) log.error(line);
    if (status === 'Stopped') for (const line of stoppedLines(stopRequested)) log.warn(line);
  }
}
