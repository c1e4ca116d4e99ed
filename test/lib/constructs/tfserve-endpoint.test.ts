import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TfserveEndpoint } from '../../../lib/constructs/tfserve-endpoint';
import { captureError, testStack } from '../cdk-fixtures';
import { testModel } from './model-fixture';

describe('TfserveEndpoint', () => {
  test('defaults: one ml.m5.large instance, generated names, variant properties retained on updates', () => {
    // GIVEN
    const stack = testStack();
    const model = testModel(stack);
    // WHEN
    new TfserveEndpoint(stack, 'Endpoint', { model });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EndpointConfigName: Match.absent(),
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Model'), 'ModelName'] },
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 1,
          InitialVariantWeight: 1,
        },
      ],
      DataCaptureConfig: Match.absent(),
      KmsKeyId: Match.absent(),
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: Match.absent(),
      EndpointConfigName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointConfig'), 'EndpointConfigName'] },
      RetainAllVariantProperties: true,
      ExcludeRetainedVariantProperties: [
        { VariantPropertyType: 'DesiredWeight' },
        { VariantPropertyType: 'DataCaptureConfig' },
        { VariantPropertyType: 'DesiredInstanceCount' },
      ],
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  test('serverless variant: memory and max concurrency, no instances', () => {
    const stack = testStack();
    new TfserveEndpoint(stack, 'Endpoint', {
      model: testModel(stack),
      serverless: { memorySizeInMb: 4096, maxConcurrency: 20 },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({
          ServerlessConfig: { MemorySizeInMB: 4096, MaxConcurrency: 20 },
          InstanceType: Match.absent(),
          InitialInstanceCount: Match.absent(),
        }),
      ],
    });
  });

  test('data capture with sampling and KMS; the model role may write the capture prefix only', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Capture', { enforceSSL: true });
    new TfserveEndpoint(stack, 'Endpoint', {
      model: testModel(stack),
      kmsKey: key,
      dataCapture: { bucket, prefix: 'capture/', samplingPercentage: 25, captureOutput: false },
    });
    const template = Template.fromStack(stack);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 25,
        DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/capture/']] },
        CaptureOptions: [{ CaptureMode: 'Input' }],
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/capture/*']] },
          },
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        ]),
      }),
    });
  });

  test('autoscaling: target tracking on SageMakerVariantInvocationsPerInstance with the service-linked role', () => {
    const stack = testStack();
    new TfserveEndpoint(stack, 'Endpoint', {
      model: testModel(stack),
      endpointName: 'tfserve-demo',
      instances: { instanceType: 'ml.c5.large', initialInstanceCount: 2 },
      autoScaling: { minCapacity: 2, maxCapacity: 6, invocationsPerInstance: 1200, scaleOutCooldown: Duration.seconds(30) },
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::ApplicationAutoScaling::ScalableTarget', {
      DependsOn: [Match.stringLikeRegexp('^Endpoint')],
      Properties: {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointName'] }, '/variant/AllTraffic']] },
        MinCapacity: 2,
        MaxCapacity: 6,
        RoleARN: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint']],
        },
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 1200,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 30,
      },
    });
    // Autoscaling owns the instance count: a new config must not reset it.
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'tfserve-demo',
      RetainAllVariantProperties: true,
      ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }, { VariantPropertyType: 'DataCaptureConfig' }],
    });
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('multi-model models serve from instance endpoints', () => {
    const stack = testStack();
    new TfserveEndpoint(stack, 'Endpoint', { model: testModel(stack, 's3://models-bucket/mme/') });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: Match.objectLike({ Mode: 'MultiModel' }),
    });
  });

  test('bad props: every problem is reported in one error', () => {
    const stack = testStack();
    const error = captureError(
      () =>
        new TfserveEndpoint(stack, 'Endpoint', {
          model: testModel(stack, 's3://models-bucket/mme/'),
          endpointName: '-bad_name',
          instances: { instanceType: 'm5.large', initialInstanceCount: 0 },
          serverless: { memorySizeInMb: 1500, maxConcurrency: 500 },
          dataCapture: { bucket: s3.Bucket.fromBucketName(stack, 'B', 'capture-bucket'), samplingPercentage: 101 },
          autoScaling: { minCapacity: 3, maxCapacity: 2, invocationsPerInstance: 0 },
        }),
    );
    for (const expected of [
      /Test\/Endpoint: invalid props/,
      /endpointName must be 1-63 letters/,
      /instances and serverless are mutually exclusive/,
      /instances.instanceType must be a SageMaker instance type/,
      /instances.initialInstanceCount must be a whole number from 1 to 1000 \(got 0\)/,
      /serverless.memorySizeInMb must be 1024, 2048/,
      /serverless.maxConcurrency must be a whole number from 1 to 200/,
      /autoScaling scales instances; a serverless variant scales by itself/,
      /dataCapture is not supported on serverless endpoints/,
      /multi-model models cannot be served by a serverless endpoint/,
      /dataCapture.samplingPercentage must be a whole number from 0 to 100/,
      /autoScaling.maxCapacity \(2\) must be at least minCapacity \(3\)/,
      /autoScaling.invocationsPerInstance must be above 0/,
    ]) {
      expect(error).toMatch(expected);
    }
  });
});
