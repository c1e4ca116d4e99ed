import { CreateTransformJobCommand, DescribeTransformJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { optionsFromFlags } from '../../../transform/job/cli-flags';
import { toCreateTransformJobRequest } from '../../../transform/sagemaker/create-request';
import { REMOTE_EXIT } from '../../../transform/sagemaker/exit-codes';
import { runRemoteFromCli } from '../../../transform/sagemaker/run-from-cli';
import { blogOptions, blogTarget, fixedNaming } from './blog-job';
import { describeOutput, fakeSleep, testClient } from './sagemaker-mock';

/** The blog's job as `tfserve transform --remote` flags: the same request as the option model built by hand. */
const blogFlags = {
  input: 's3://sagemaker-sample-data-us-west-2/batch-transform/open-images/tfrecord/',
  output: 's3://my-bucket/open-images/output/',
  contentType: 'application/x-tfexample',
  splitType: 'TFRecord',
  batchStrategy: 'SingleRecord',
  assembleWith: 'Line',
  maxPayloadInMb: '1',
  maxConcurrentTransforms: '64',
  environment: ['SAGEMAKER_TFS_ENABLE_BATCHING=true', 'SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS=50000', 'SAGEMAKER_TFS_MAX_BATCH_SIZE=16'],
  modelName: 'image-classification-tfs',
  jobName: 'tfs-image-classification-job',
  instanceType: 'ml.p3.2xlarge',
  instanceCount: '2',
};

const sagemaker = mockClient(SageMakerClient);

beforeEach(() => sagemaker.reset());

describe('the CLI flags and the option model make one request', () => {
  it('sends from the flags exactly the request built from the blog options', async () => {
    sagemaker.on(CreateTransformJobCommand).resolves({ TransformJobArn: 'arn:aws:sagemaker:us-west-2:1:transform-job/x' });
    sagemaker.on(DescribeTransformJobCommand).resolves(describeOutput('Completed'));
    const { options } = optionsFromFlags(blogFlags);

    const code = await runRemoteFromCli(options, {}, {
      write: () => undefined,
      client: testClient(),
      signal: new AbortController().signal,
      sleep: fakeSleep().sleep,
    });

    expect(code).toBe(REMOTE_EXIT.completed);
    const sent = sagemaker.commandCalls(CreateTransformJobCommand)[0].args[0].input;
    const expected = toCreateTransformJobRequest(blogOptions(), { ...blogTarget, jobName: 'tfs-image-classification-job' }, fixedNaming);
    expect(sent).toStrictEqual(expected);
  });

  it('turns a local run into a clear refusal when --remote is added', async () => {
    const { options } = optionsFromFlags({ ...blogFlags, input: 'shards/', output: 'out/', modelName: undefined });
    const chunks: string[] = [];

    const code = await runRemoteFromCli(options, {}, { write: (text) => chunks.push(text), client: testClient() });

    expect(code).toBe(REMOTE_EXIT.notCreated);
    expect(sagemaker.calls()).toHaveLength(0);
    expect(chunks.join('')).toContain('invalid transform job (3 problems)');
  });
});
