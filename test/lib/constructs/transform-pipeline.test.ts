import * as kms from 'aws-cdk-lib/aws-kms';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { TransformPipeline } from '../../../lib/constructs/transform-pipeline';
import { captureError, testStack } from '../cdk-fixtures';
import { testModel } from './model-fixture';

/** The state machine definition as JSON, with CloudFormation references rendered as `<Ref:...>`. */
function definitionOf(template: Template): { States: Record<string, Record<string, unknown>> } {
  const definition = new Capture();
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: definition });
  const parts = (definition.asObject() as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts.map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`)).join('');
  return JSON.parse(text) as { States: Record<string, Record<string, unknown>> };
}

describe('TransformPipeline', () => {
  describe('with defaults', () => {
    let template: Template;
    beforeAll(() => {
      const stack = testStack();
      new TransformPipeline(stack, 'Pipeline', { model: testModel(stack) });
      template = Template.fromStack(stack);
    });

    test('the transform task: RUN_JOB, TFRecord split, SingleRecord, AssembleWith Line, tf.Example, 1 MB, batching on', () => {
      const transform = definitionOf(template).States.Transform;
      expect(transform.Resource).toMatch(/:states:::sagemaker:createTransformJob\.sync$/);
      expect(transform.Parameters).toMatchObject({
        BatchStrategy: 'SingleRecord',
        MaxConcurrentTransforms: 4,
        MaxPayloadInMB: 1,
        Environment: { SAGEMAKER_TFS_ENABLE_BATCHING: 'true' },
        TransformInput: {
          ContentType: 'application/x-tfexample',
          SplitType: 'TFRecord',
          DataSource: { S3DataSource: { 'S3Uri.$': '$.inputS3Uri', S3DataType: 'S3Prefix' } },
        },
        TransformOutput: { AssembleWith: 'Line' },
        TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
        'TransformJobName.$': '$.job.name',
      });
    });

    test('job names are prefix + UUID (≤ 63 characters) and outputs go under <output prefix><job name>/', () => {
      const states = definitionOf(template).States;
      expect(states.NameJob.Parameters).toEqual({ 'name.$': "States.Format('tfserve-{}', States.UUID())" });
      expect('tfserve-'.length + 36).toBeLessThanOrEqual(63);
      const output = (states.Transform.Parameters as { TransformOutput: Record<string, string> }).TransformOutput;
      expect(output['S3OutputPath.$']).toMatch(/^States\.Format\('s3:\/\/<.*PipelineOutputBucket.*>\/output\/\{\}\/', \$\.job\.name\)$/);
    });

    test('an input outside the input prefix fails before any job starts; no input means the whole prefix', () => {
      const states = definitionOf(template).States;
      expect(JSON.stringify(states.InputGiven)).toMatch(/"StringMatches":"s3:\/\/<.*PipelineInputBucket.*>\/input\/\*"/);
      expect(states.InputOutsidePrefix).toMatchObject({ Type: 'Fail', Error: 'InputOutsidePrefix' });
      expect(states.UseInputPrefix).toMatchObject({ Type: 'Pass', ResultPath: '$.inputS3Uri' });
    });

    test('logging ALL with execution data, and X-Ray tracing', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
        TracingConfiguration: { Enabled: true },
      });
    });

    test('buckets: TLS only, public access blocked, encrypted, incomplete uploads aborted', () => {
      template.resourcePropertiesCountIs(
        'AWS::S3::Bucket',
        {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: Match.anyValue(),
          LifecycleConfiguration: {
            Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' })],
          },
        },
        2,
      );
      template.resourcePropertiesCountIs(
        'AWS::S3::BucketPolicy',
        {
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          }),
        },
        2,
      );
    });

    test('least privilege: no managed policies; the job role reads the input prefix and writes the output prefix', () => {
      template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('AmazonSageMakerFullAccess');
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^ModelExecutionRole') }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineInputBucket'), 'Arn'] }, '/input/*']] },
            },
            {
              Effect: 'Allow',
              Action: 's3:ListBucket',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineInputBucket'), 'Arn'] },
              Condition: { StringLike: { 's3:prefix': ['input/*'] } },
            },
            {
              Effect: 'Allow',
              Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineOutputBucket'), 'Arn'] }, '/output/*']] },
            },
          ]),
        }),
      });
      // The state machine may pass only the model's role, only to SageMaker.
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^PipelineStateMachineRole') }],
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            {
              Effect: 'Allow',
              Action: 'iam:PassRole',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelExecutionRole'), 'Arn'] },
              Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
            },
          ]),
        }),
      });
      template.resourceCountIs('AWS::Events::Rule', 0);
    });
  });

  test('options: content type, multi-record, payload, concurrency, instances, prefixes, KMS, no batching', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new TransformPipeline(stack, 'Pipeline', {
      model: testModel(stack),
      contentType: 'application/jsonlines',
      accept: 'application/jsonlines',
      splitType: tasks.SplitType.LINE,
      batchStrategy: tasks.BatchStrategy.MULTI_RECORD,
      maxPayloadInMB: 10,
      maxConcurrentTransforms: 10,
      instanceType: 'ml.c5.2xlarge',
      instanceCount: 3,
      inputPrefix: 'in/',
      outputPrefix: 'out/',
      jobNamePrefix: 'nightly',
      batching: false,
      kmsKey: key,
    });
    const template = Template.fromStack(stack);
    const states = definitionOf(template).States;
    expect(states.Transform.Parameters).toMatchObject({
      BatchStrategy: 'MultiRecord',
      MaxConcurrentTransforms: 10,
      MaxPayloadInMB: 10,
      TransformInput: { ContentType: 'application/jsonlines', SplitType: 'Line' },
      TransformOutput: { Accept: 'application/jsonlines', KmsKeyId: expect.any(String) },
      TransformResources: { InstanceCount: 3, InstanceType: 'ml.c5.2xlarge', VolumeKmsKeyId: expect.any(String) },
    });
    expect(states.Transform.Parameters).not.toHaveProperty('Environment');
    expect(states.NameJob.Parameters).toEqual({ 'name.$': "States.Format('nightly-{}', States.UUID())" });
    template.resourcePropertiesCountIs(
      'AWS::S3::Bucket',
      { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] } },
      2,
    );
  });

  test('upload trigger: an EventBridge rule on Object Created under the input prefix starts the state machine', () => {
    const stack = testStack();
    new TransformPipeline(stack, 'Pipeline', { model: testModel(stack), triggerOnUpload: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: Match.stringLikeRegexp('^PipelineInputBucket') }] }, object: { key: [{ prefix: 'input/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^PipelineStateMachine') },
          InputTransformer: {
            InputPathsMap: { 'detail-bucket-name': '$.detail.bucket.name', 'detail-object-key': '$.detail.object.key' },
            InputTemplate: '{"inputS3Uri":"s3://<detail-bucket-name>/<detail-object-key>"}',
          },
        }),
      ],
    });
  });

  test('bad props: Batch Transform limits and names, all reported together', () => {
    const stack = testStack();
    const error = captureError(
      () =>
        new TransformPipeline(stack, 'Pipeline', {
          model: testModel(stack),
          maxPayloadInMB: 101,
          maxConcurrentTransforms: 2,
          instanceType: 'c5.xlarge',
          instanceCount: 0,
          jobNamePrefix: 'a-very-long-job-name-prefix-here',
          inputPrefix: '/input',
          outputPrefix: 'out*/',
        }),
    );
    for (const expected of [
      /Test\/Pipeline: invalid props/,
      /maxPayloadInMB must be a whole number from 0 to 100 \(got 101\)/,
      /maxConcurrentTransforms × maxPayloadInMB must be at most 100 \(got 2 × 101 = 202\)/,
      /instanceType must be a SageMaker instance type/,
      /instanceCount must be a whole number from 1 to 100/,
      /jobNamePrefix must be 1-26 letters, digits and hyphens/,
      /inputPrefix must be empty or a key prefix ending in "\/"/,
      /outputPrefix must be empty or a key prefix/,
    ]) {
      expect(error).toMatch(expected);
    }
  });

  test('concurrency × payload over 100 is refused even when each is in range', () => {
    const stack = testStack();
    expect(() => new TransformPipeline(stack, 'Pipeline', { model: testModel(stack), maxConcurrentTransforms: 11, maxPayloadInMB: 10 })).toThrow(
      /11 × 10 = 110/,
    );
  });

  test('multi-model models cannot run batch transform', () => {
    const stack = testStack();
    expect(() => new TransformPipeline(stack, 'Pipeline', { model: testModel(stack, 's3://models-bucket/mme/') })).toThrow(
      /batch transform runs single-model models/,
    );
  });
});
