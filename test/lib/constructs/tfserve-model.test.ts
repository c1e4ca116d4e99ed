import * as kms from 'aws-cdk-lib/aws-kms';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelArchive } from '../../../lib/constructs/model-archive';
import { ServingImage } from '../../../lib/constructs/serving-image';
import { TfserveModel } from '../../../lib/constructs/tfserve-model';
import { captureError, ECR_IMAGE, ECR_REPOSITORY_ARN, testStack } from '../cdk-fixtures';

function modelIn(stack = testStack(), s3Uri = 's3://models-bucket/demo/model.tar.gz') {
  const image = new ServingImage(stack, 'Image', { imageUri: ECR_IMAGE });
  const modelData = new ModelArchive(stack, 'ModelData', { s3Uri });
  return { stack, image, modelData };
}

describe('TfserveModel', () => {
  test('execution role: exact actions, each scoped to this repository, this archive, SageMaker logs', () => {
    // GIVEN
    const { stack, image, modelData } = modelIn();
    // WHEN
    new TfserveModel(stack, 'Model', { image, modelData });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${ECR_REPOSITORY_ARN.split(':').slice(2).join(':')}`]] },
          },
          { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models-bucket/demo/model.tar.gz']] },
          },
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:/aws/sagemaker/*']],
            },
          },
          { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
        ],
      },
    });
  });

  test('the Model DependsOn the role and the role policy, and has no fixed name', () => {
    const { stack, image, modelData } = modelIn();
    new TfserveModel(stack, 'Model', { image, modelData });
    const template = Template.fromStack(stack);
    const role = Object.keys(template.findResources('AWS::IAM::Role'))[0];
    const policy = Object.keys(template.findResources('AWS::IAM::Policy'))[0];
    const models = Object.values(template.findResources('AWS::SageMaker::Model')) as { DependsOn: string[] }[];
    expect(models).toHaveLength(1);
    expect([...models[0].DependsOn].sort()).toEqual([policy, role].sort());
    template.hasResource('AWS::SageMaker::Model', {
      Properties: Match.objectLike({
        ModelName: Match.absent(),
        ExecutionRoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
        PrimaryContainer: {
          Image: ECR_IMAGE,
          Mode: 'SingleModel',
          ModelDataUrl: 's3://models-bucket/demo/model.tar.gz',
        },
      }),
    });
  });

  test('typed container environment: default model, batching, log level, engine, extras', () => {
    const { stack, image, modelData } = modelIn();
    new TfserveModel(stack, 'Model', {
      image,
      modelData,
      container: {
        defaultModelName: 'half_plus_three',
        batching: { maxBatchSize: 32, batchTimeoutMicros: 2000, numBatchThreads: 2, maxEnqueuedBatches: 100 },
        logLevel: 'debug',
        engine: 'native',
        extra: { TFSERVE_INFERENCE_TIMEOUT_SECONDS: '30' },
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({
        Environment: {
          SAGEMAKER_TFS_DEFAULT_MODEL_NAME: 'half_plus_three',
          SAGEMAKER_TFS_ENABLE_BATCHING: 'true',
          SAGEMAKER_TFS_MAX_BATCH_SIZE: '32',
          SAGEMAKER_TFS_BATCH_TIMEOUT_MICROS: '2000',
          SAGEMAKER_TFS_NUM_BATCH_THREADS: '2',
          SAGEMAKER_TFS_MAX_ENQUEUED_BATCHES: '100',
          TFSERVE_LOG_LEVEL: 'debug',
          TFSERVE_ENGINE: 'native',
          TFSERVE_INFERENCE_TIMEOUT_SECONDS: '30',
        },
      }),
    });
  });

  test('multi-model: MultiModel mode on the prefix, read and prefix-limited list', () => {
    const { stack, image, modelData } = modelIn(testStack(), 's3://models-bucket/mme/');
    new TfserveModel(stack, 'Model', { image, modelData, multiModel: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({
        Mode: 'MultiModel',
        ModelDataUrl: 's3://models-bucket/mme/',
        Environment: { SAGEMAKER_MULTI_MODEL: 'true' },
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models-bucket/mme/*']] },
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models-bucket']] },
            Condition: { StringLike: { 's3:prefix': ['mme/*'] } },
          },
        ]),
      }),
    });
  });

  test('a KMS key adds kms:Decrypt on that key only', () => {
    const { stack, image, modelData } = modelIn();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new TfserveModel(stack, 'Model', { image, modelData, kmsKey: key });
    const keyId = Template.fromStack(stack).findResources('AWS::KMS::Key');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Object.keys(keyId)[0], 'Arn'] } },
        ]),
      }),
    });
  });

  test('bad props: every problem is reported in one error', () => {
    const { stack, image, modelData } = modelIn();
    const error = captureError(() =>
      new TfserveModel(stack, 'Model', {
        image,
        modelData,
        multiModel: true,
        container: { defaultModelName: 'bad name!', batching: { maxBatchSize: 0 }, extra: { BIG: 'x'.repeat(2000) } },
      }),
    );
    expect(error).toMatch(/Test\/Model: invalid props/);
    expect(error).toMatch(/multiModel needs model data that is an S3 prefix/);
    expect(error).toMatch(/container.defaultModelName must be a model directory name/);
    expect(error).toMatch(/does not apply to multi-model endpoints/);
    expect(error).toMatch(/container.batching.maxBatchSize must be a whole number from 1/);
    expect(error).toMatch(/container environment.BIG: keys and values are limited to 1024 bytes/);
  });

  test('a single-model Model refuses a multi-model prefix', () => {
    const { stack, image, modelData } = modelIn(testStack(), 's3://models-bucket/mme/');
    expect(() => new TfserveModel(stack, 'Model', { image, modelData })).toThrow(/only multi-model endpoints accept/);
  });
});
