import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
  StopTransformJobCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { toCreateTransformJobRequest } from '../../../transform/sagemaker/create-request';
import { RemoteJobError, runRemoteTransformJob, type RemoteJobDeps } from '../../../transform/sagemaker/run-remote-job';
import { blogOptions, blogTarget } from './blog-job';
import {
  describeOutput,
  fakeSleep,
  quotaError,
  recordingLog,
  REGION,
  serviceError,
  testClient,
  throttling,
  type RecordedLog,
} from './sagemaker-mock';

const sagemaker = mockClient(SageMakerClient);
const request = toCreateTransformJobRequest(blogOptions(), { ...blogTarget, jobName: 'blog-job' });
const ARN = `arn:aws:sagemaker:${REGION}:123456789012:transform-job/blog-job`;

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(CreateTransformJobCommand).resolves({ TransformJobArn: ARN });
});

function deps(overrides: Partial<Omit<RemoteJobDeps, 'log'>> = {}): RemoteJobDeps & { log: RecordedLog } {
  return {
    client: testClient(),
    log: recordingLog(),
    confirmStop: async () => {
      throw new Error('confirmStop must not be called without Ctrl-C');
    },
    sleep: fakeSleep().sleep,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 4000,
    ...overrides,
  };
}

describe('runRemoteTransformJob', () => {
  it('creates the job with exactly the request and polls InProgress → Completed', async () => {
    const started = new Date(Date.UTC(2026, 10, 22, 9, 34, 0));
    const ended = new Date(Date.UTC(2026, 10, 22, 9, 46, 30));
    sagemaker
      .on(DescribeTransformJobCommand)
      .resolvesOnce(describeOutput('InProgress'))
      .resolvesOnce(describeOutput('InProgress', { TransformStartTime: started }))
      .resolvesOnce(describeOutput('InProgress', { TransformStartTime: started }))
      .resolvesOnce(describeOutput('InProgress', { TransformStartTime: started }))
      .resolves(describeOutput('Completed', { TransformStartTime: started, TransformEndTime: ended }));
    const { sleep, delays } = fakeSleep();
    const run = deps({ sleep });

    const result = await runRemoteTransformJob(request, run);

    const creates = sagemaker.commandCalls(CreateTransformJobCommand);
    expect(creates).toHaveLength(1);
    expect(creates[0].args[0].input).toStrictEqual(request);
    const describes = sagemaker.commandCalls(DescribeTransformJobCommand);
    expect(describes).toHaveLength(5);
    for (const describe of describes) expect(describe.args[0].input).toStrictEqual({ TransformJobName: 'blog-job' });
    expect(sagemaker.commandCalls(StopTransformJobCommand)).toHaveLength(0);
    // Backoff: ×1.5 from the first interval, capped.
    expect(delays).toStrictEqual([1000, 1500, 2250, 3375]);

    expect(result).toMatchObject({ jobName: 'blog-job', jobArn: ARN, region: REGION, status: 'Completed', stopRequested: false, detached: false });
    expect(result.consoleUrl).toBe(`https://${REGION}.console.aws.amazon.com/sagemaker/home?region=${REGION}#/transform-jobs/blog-job`);
    const text = run.log.text();
    expect(text).toContain('created transform job blog-job (2 × ml.p3.2xlarge)');
    expect(text).toContain('blog-job: InProgress');
    expect(text).toContain('blog-job: InProgress → Completed');
    expect(text).toContain('instances started (2 × ml.p3.2xlarge)');
    expect(text).toContain('billed: 12m 30s on 2 × ml.p3.2xlarge');
    expect(text).toContain('output: s3://my-bucket/open-images/output/');
    // A transition is logged once, not on every poll.
    expect(run.log.lines.filter((line) => line.includes(': InProgress ('))).toHaveLength(1);
  });

  it('repeats an unchanged status once per heartbeat, and on the status line in between', async () => {
    sagemaker
      .on(DescribeTransformJobCommand)
      .resolvesOnce(describeOutput('InProgress'))
      .resolvesOnce(describeOutput('InProgress'))
      .resolvesOnce(describeOutput('InProgress'))
      .resolves(describeOutput('Completed'));
    let clock = 0;
    const run = deps({ now: () => clock, heartbeatMs: 60_000, sleep: fakeSleep(() => (clock += 40_000)).sleep });

    await runRemoteTransformJob(request, run);

    expect(run.log.lines.filter((line) => line.includes('still InProgress'))).toStrictEqual(['info blog-job: still InProgress (1m 20s)']);
    // Polls that print no line redraw the terminal's status line instead.
    expect(run.log.statusLines).toStrictEqual(['blog-job: InProgress (40s)']);
  });

  it('prints FailureReason, the CloudWatch log group with the job prefix and the console URL on Failed', async () => {
    const reason = 'ClientError: See job logs for more information';
    sagemaker
      .on(DescribeTransformJobCommand)
      .resolvesOnce(describeOutput('InProgress'))
      .resolves(describeOutput('Failed', { FailureReason: reason }));
    const run = deps();

    const result = await runRemoteTransformJob(request, run);

    expect(result.status).toBe('Failed');
    expect(result.failureReason).toBe(reason);
    const errors = run.log.lines.filter((line) => line.startsWith('error '));
    expect(errors[0]).toBe(`error Failed: ${reason}`);
    expect(errors).toContain('error container logs: log group /aws/sagemaker/TransformJobs, streams blog-job/*');
    expect(errors).toContain(
      `error   aws logs tail /aws/sagemaker/TransformJobs --log-stream-name-prefix blog-job/ --region ${REGION}`,
    );
    expect(errors.some((line) => line.includes('log-group/$252Faws$252Fsagemaker$252FTransformJobs/log-events$3FlogStreamNameFilter$3Dblog-job$252F'))).toBe(true);
    expect(errors).toContain(`error job: ${result.consoleUrl}`);
  });

  it('on Ctrl-C asks, stops the job after a yes and polls until Stopped', async () => {
    const interrupt = new AbortController();
    sagemaker
      .on(DescribeTransformJobCommand)
      .resolvesOnce(describeOutput('InProgress'))
      .resolvesOnce(describeOutput('Stopping'))
      .resolvesOnce(describeOutput('Stopping'))
      .resolves(describeOutput('Stopped'));
    sagemaker.on(StopTransformJobCommand).resolves({});
    const asked: string[] = [];
    const { sleep, delays } = fakeSleep((count) => count === 1 && interrupt.abort());
    const run = deps({
      signal: interrupt.signal,
      sleep,
      confirmStop: async (jobName) => {
        asked.push(jobName);
        return true;
      },
    });

    const result = await runRemoteTransformJob(request, run);

    expect(asked).toStrictEqual(['blog-job']);
    const stops = sagemaker.commandCalls(StopTransformJobCommand);
    expect(stops).toHaveLength(1);
    expect(stops[0].args[0].input).toStrictEqual({ TransformJobName: 'blog-job' });
    expect(sagemaker.commandCalls(DescribeTransformJobCommand)).toHaveLength(4);
    expect(result).toMatchObject({ status: 'Stopped', stopRequested: true, detached: false });
    expect(delays).toHaveLength(3);
    const text = run.log.text();
    expect(text).toContain('stopping blog-job (StopTransformJob)');
    expect(text).toContain('InProgress → Stopping');
    expect(text).toContain('Stopping → Stopped');
    expect(text).toContain('Stopped at your request');
  });

  it('on Ctrl-C with a no, sends no stop and leaves the job running, saying how to follow it', async () => {
    const interrupt = new AbortController();
    sagemaker.on(DescribeTransformJobCommand).resolves(describeOutput('InProgress'));
    sagemaker.on(StopTransformJobCommand).resolves({});
    const { sleep } = fakeSleep(() => interrupt.abort());
    const run = deps({ signal: interrupt.signal, sleep, confirmStop: async () => false });

    const result = await runRemoteTransformJob(request, run);

    expect(sagemaker.commandCalls(StopTransformJobCommand)).toHaveLength(0);
    expect(sagemaker.commandCalls(DescribeTransformJobCommand)).toHaveLength(1);
    expect(result).toMatchObject({ status: 'InProgress', stopRequested: false, detached: true });
    const text = run.log.text();
    expect(text).toContain('left blog-job running');
    expect(text).toContain(`aws sagemaker stop-transform-job --transform-job-name blog-job --region ${REGION}`);
  });

  it('keeps polling when the stop comes too late for a job that already ended', async () => {
    const interrupt = new AbortController();
    sagemaker.on(DescribeTransformJobCommand).resolvesOnce(describeOutput('InProgress')).resolves(describeOutput('Completed'));
    sagemaker.on(StopTransformJobCommand).rejects(serviceError('ValidationException', 'Transform job blog-job is not in progress'));
    const run = deps({ signal: interrupt.signal, sleep: fakeSleep(() => interrupt.abort()).sleep, confirmStop: async () => true });

    const result = await runRemoteTransformJob(request, run);

    expect(result.status).toBe('Completed');
    expect(run.log.text()).toContain('StopTransformJob for "blog-job" failed: ValidationException: Transform job blog-job is not in progress');
  });

  it('retries throttled calls with backoff and carries on', async () => {
    sagemaker.on(CreateTransformJobCommand).rejectsOnce(throttling()).resolves({ TransformJobArn: ARN });
    sagemaker
      .on(DescribeTransformJobCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttling())
      .resolves(describeOutput('Completed'));
    const { sleep, delays } = fakeSleep();
    const run = deps({ sleep, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, retryTransient: true } });

    const result = await runRemoteTransformJob(request, run);

    expect(result.status).toBe('Completed');
    expect(sagemaker.commandCalls(CreateTransformJobCommand)).toHaveLength(2);
    expect(sagemaker.commandCalls(DescribeTransformJobCommand)).toHaveLength(3);
    expect(delays).toStrictEqual([100, 100, 200]);
    const warnings = run.log.lines.filter((line) => line.startsWith('warn '));
    expect(warnings).toStrictEqual([
      'warn CreateTransformJob was throttled or failed transiently (ThrottlingException); retry 1 of 3 in 100ms',
      'warn DescribeTransformJob was throttled or failed transiently (ThrottlingException); retry 1 of 3 in 100ms',
      'warn DescribeTransformJob was throttled or failed transiently (ThrottlingException); retry 2 of 3 in 200ms',
    ]);
  });

  it('gives up after the last throttled attempt, saying the job may be running', async () => {
    sagemaker.on(DescribeTransformJobCommand).rejects(throttling());
    const run = deps({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, retryTransient: true } });

    const error = await runRemoteTransformJob(request, run).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RemoteJobError);
    expect((error as RemoteJobError).jobCreated).toBe(true);
    expect((error as Error).message).toBe('DescribeTransformJob for "blog-job" failed: ThrottlingException: Rate exceeded');
    expect(sagemaker.commandCalls(DescribeTransformJobCommand)).toHaveLength(3);
  });

  it('surfaces a ValidationException from CreateTransformJob with its message and a remedy, without polling', async () => {
    sagemaker
      .on(CreateTransformJobCommand)
      .rejects(serviceError('ValidationException', 'Could not find model "arn:aws:sagemaker:us-west-2:123456789012:model/image-classification-tfs".'));

    const error = await runRemoteTransformJob(request, deps()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RemoteJobError);
    expect((error as RemoteJobError).jobCreated).toBe(false);
    expect((error as Error).message).toContain('CreateTransformJob for "blog-job" failed: ValidationException: Could not find model');
    expect((error as Error).message).toContain(`hint: no SageMaker Model named "image-classification-tfs" in ${REGION}`);
    expect(sagemaker.commandCalls(DescribeTransformJobCommand)).toHaveLength(0);
  });

  it('surfaces ResourceLimitExceeded with the quota to raise', async () => {
    sagemaker.on(CreateTransformJobCommand).rejects(quotaError());

    const error = await runRemoteTransformJob(request, deps()).catch((caught: unknown) => caught);

    expect((error as Error).message).toContain("ResourceLimitExceeded: The account-level service limit 'ml.p3.2xlarge for transform job usage' is 0 Instances");
    expect((error as Error).message).toContain('hint: raise the quota "ml.p3.2xlarge for transform job usage" in Service Quotas');
    expect(sagemaker.commandCalls(CreateTransformJobCommand)).toHaveLength(1);
  });

  it('does not retry a 5xx on CreateTransformJob (the job may exist), but does on DescribeTransformJob', async () => {
    sagemaker.on(CreateTransformJobCommand).rejects(serviceError('InternalFailure', 'internal error', 500));
    const createError = await runRemoteTransformJob(request, deps()).catch((caught: unknown) => caught);
    expect((createError as Error).message).toContain('InternalFailure');
    expect(sagemaker.commandCalls(CreateTransformJobCommand)).toHaveLength(1);

    sagemaker.reset();
    sagemaker.on(CreateTransformJobCommand).resolves({ TransformJobArn: ARN });
    sagemaker.on(DescribeTransformJobCommand).rejectsOnce(serviceError('InternalFailure', 'internal error', 500)).resolves(describeOutput('Completed'));
    const result = await runRemoteTransformJob(request, deps());
    expect(result.status).toBe('Completed');
  });

  it('names a job already created under that name', async () => {
    sagemaker.on(CreateTransformJobCommand).rejects(serviceError('ResourceInUse', 'Job name must be unique within an AWS account and region'));

    const error = await runRemoteTransformJob(request, deps()).catch((caught: unknown) => caught);

    expect((error as Error).message).toContain('hint: job names are unique per account and region');
  });
});
