import { CreateTransformJobCommand, DescribeTransformJobCommand, SageMakerClient, StopTransformJobCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { REMOTE_EXIT } from '../../../transform/sagemaker/exit-codes';
import { runRemoteFromCli, type RemoteCliIo } from '../../../transform/sagemaker/run-from-cli';
import { blogOptions, blogTarget } from './blog-job';
import { describeOutput, fakeSleep, serviceError, testClient } from './sagemaker-mock';

const sagemaker = mockClient(SageMakerClient);

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(CreateTransformJobCommand).resolves({ TransformJobArn: 'arn:aws:sagemaker:us-west-2:1:transform-job/x' });
});

function io(overrides: Partial<RemoteCliIo> = {}): RemoteCliIo & { output: () => string } {
  const chunks: string[] = [];
  return {
    write: (text) => chunks.push(text),
    output: () => chunks.join(''),
    client: testClient(),
    signal: new AbortController().signal,
    sleep: fakeSleep().sleep,
    confirmStop: async () => false,
    ...overrides,
  };
}

describe('runRemoteFromCli', () => {
  it('exits 0 when the job completes, with the generated job name in the request', async () => {
    sagemaker.on(DescribeTransformJobCommand).resolvesOnce(describeOutput('InProgress')).resolves(describeOutput('Completed'));
    const terminal = io();

    expect(await runRemoteFromCli(blogOptions(), blogTarget, terminal)).toBe(REMOTE_EXIT.completed);

    const name = sagemaker.commandCalls(CreateTransformJobCommand)[0].args[0].input.TransformJobName;
    expect(name).toMatch(/^image-classification-tfs-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(terminal.output()).toContain(`${name}: InProgress → Completed`);
  });

  it('exits 1 when the job fails, after printing the reason', async () => {
    sagemaker.on(DescribeTransformJobCommand).resolves(describeOutput('Failed', { FailureReason: 'AlgorithmError: bad record' }));
    const terminal = io();

    expect(await runRemoteFromCli(blogOptions(), blogTarget, terminal)).toBe(REMOTE_EXIT.failed);
    expect(terminal.output()).toContain('error: Failed: AlgorithmError: bad record\n');
  });

  it('exits 2 without calling SageMaker when the options cannot run remotely', async () => {
    const options = blogOptions({ TransformOutput: { S3OutputPath: 'out/', AssembleWith: 'Line' } });
    const terminal = io();

    expect(await runRemoteFromCli(options, { instanceType: 'ml.m5.xlarge' }, terminal)).toBe(REMOTE_EXIT.notCreated);
    expect(sagemaker.calls()).toHaveLength(0);
    expect(terminal.output()).toContain('error: invalid transform job (2 problems):');
    expect(terminal.output()).toContain('--output (TransformOutput.S3OutputPath): "out/" is not in S3');
    expect(terminal.output()).toContain('--model-name (ModelName): is required for a remote run');
  });

  it('exits 2 when SageMaker refuses CreateTransformJob', async () => {
    sagemaker.on(CreateTransformJobCommand).rejects(serviceError('ValidationException', 'MaxPayloadInMB * MaxConcurrentTransforms must be <= 100'));
    const terminal = io();

    expect(await runRemoteFromCli(blogOptions(), blogTarget, terminal)).toBe(REMOTE_EXIT.notCreated);
    expect(terminal.output()).toContain('ValidationException: MaxPayloadInMB * MaxConcurrentTransforms must be <= 100');
    expect(terminal.output()).not.toContain('may still be running');
  });

  it('exits 4 when the job was created but could not be watched, saying it may still run', async () => {
    sagemaker.on(DescribeTransformJobCommand).rejects(serviceError('ExpiredTokenException', 'The security token included in the request is expired'));
    const terminal = io();

    expect(await runRemoteFromCli(blogOptions(), { ...blogTarget, jobName: 'j-4' }, terminal)).toBe(REMOTE_EXIT.lostTrack);
    expect(terminal.output()).toContain('ExpiredTokenException');
    expect(terminal.output()).toContain('j-4 may still be running: aws sagemaker describe-transform-job --transform-job-name j-4');
  });

  it('exits 3 after Ctrl-C and a yes, 130 after Ctrl-C and a no', async () => {
    sagemaker.on(DescribeTransformJobCommand).resolvesOnce(describeOutput('InProgress')).resolves(describeOutput('Stopped'));
    sagemaker.on(StopTransformJobCommand).resolves({});
    const stopping = new AbortController();
    const yes = io({ signal: stopping.signal, sleep: fakeSleep(() => stopping.abort()).sleep, confirmStop: async () => true });
    expect(await runRemoteFromCli(blogOptions(), blogTarget, yes)).toBe(REMOTE_EXIT.stopped);
    expect(sagemaker.commandCalls(StopTransformJobCommand)).toHaveLength(1);

    sagemaker.resetHistory();
    sagemaker.on(DescribeTransformJobCommand).resolves(describeOutput('InProgress'));
    const leaving = new AbortController();
    const no = io({ signal: leaving.signal, sleep: fakeSleep(() => leaving.abort()).sleep, confirmStop: async () => false });
    expect(await runRemoteFromCli(blogOptions(), blogTarget, no)).toBe(REMOTE_EXIT.detached);
    expect(sagemaker.commandCalls(StopTransformJobCommand)).toHaveLength(0);
  });

  it('warns about an input prefix without a trailing slash before creating the job', async () => {
    sagemaker.on(DescribeTransformJobCommand).resolves(describeOutput('Completed'));
    const options = blogOptions();
    options.TransformInput.DataSource.S3DataSource.S3Uri = 's3://b/tfrecord';
    const terminal = io();

    expect(await runRemoteFromCli(options, blogTarget, terminal)).toBe(REMOTE_EXIT.completed);
    expect(terminal.output().indexOf('warning: input s3://b/tfrecord does not end with "/"')).toBeLessThan(
      terminal.output().indexOf('created transform job'),
    );
  });
});
