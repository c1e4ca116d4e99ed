import { Stack, Token, Validations, type CfnResource } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { TfserveModel } from '../constructs/tfserve-model';
import type { TransformPipeline } from '../constructs/transform-pipeline';

/**
 * Every cdk-nag AwsSolutions finding this app acknowledges, each on the construct it concerns, for one finding id
 * (never a whole rule) and with the reason it is acceptable. The README lists the same entries.
 */

const IAM5 = 'AwsSolutions-IAM5';

export function acknowledgeModelRole(model: TfserveModel): void {
  const role = Validations.of(model.role);
  role.acknowledge({
    id: `${IAM5}[Resource::*]`,
    reason:
      'Only ecr:GetAuthorizationToken and cloudwatch:PutMetricData, which support no resource-level permissions; ' +
      'image pull and model data read are scoped to the repository and the archive',
  });
  role.acknowledge({
    id: `${IAM5}[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*]`,
    reason:
      'SageMaker creates the log groups and streams of endpoints and jobs at run time under /aws/sagemaker/ ' +
      '(Endpoints/<generated name>, TransformJobs); the wildcard stays inside that namespace',
  });
}

export function acknowledgeDataCapture(model: TfserveModel, bucket: s3.IBucket, prefix: string): void {
  Validations.of(model.role).acknowledge({
    id: `${IAM5}[Resource::${bucketArnForNag(bucket)}/${prefix}*]`,
    reason: 'SageMaker writes captured traffic under <prefix><endpoint>/<variant>/<date>/ with generated file names',
  });
}

/** `model` is the pipeline's model, whose role the transform jobs run under. */
export function acknowledgePipeline(pipeline: TransformPipeline, model: TfserveModel): void {
  const modelRole = Validations.of(model.role);
  modelRole.acknowledge({
    id: `${IAM5}[Resource::${bucketArnForNag(pipeline.inputBucket)}/${pipeline.inputPrefix}*]`,
    reason: 'Transform jobs read every object under the input prefix; object names are chosen by the uploader',
  });
  modelRole.acknowledge({
    id: `${IAM5}[Resource::${bucketArnForNag(pipeline.outputBucket)}/${pipeline.outputPrefix}*]`,
    reason: 'Transform jobs write <job name>/<input key>.out under the output prefix; job names are generated per run',
  });

  const stateMachineRole = Validations.of(pipeline.stateMachine.role);
  stateMachineRole.acknowledge({
    id: `${IAM5}[Resource::*]`,
    reason:
      'X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*), CloudWatch Logs delivery ' +
      '(CreateLogDelivery, DescribeResourcePolicies, …) and sagemaker:ListTags (added by the .sync integration) ' +
      'support no resource-level permissions',
  });
  stateMachineRole.acknowledge({
    id: `${IAM5}[Resource::${arnForNag(pipeline.stateMachine.stack, 'sagemaker', 'transform-job/*')}]`,
    reason:
      'Each execution creates, describes and stops a transform job whose name (prefix + UUID) exists only at run ' +
      'time; the actions are limited to transform jobs',
  });
}

/** How cdk-nag prints an ARN the stack renders from its own environment. */
function arnForNag(stack: Stack, service: string, resource: string): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
}

/** How cdk-nag prints `Fn::GetAtt [<bucket>, Arn]`. */
function bucketArnForNag(bucket: s3.IBucket): string {
  const cfnBucket = bucket.node.defaultChild as CfnResource | undefined;
  if (cfnBucket === undefined) return bucket.bucketArn;
  return `<${Stack.of(bucket).getLogicalId(cfnBucket)}.Arn>`;
}

