import { Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { batchingEnvironment } from './container-environment';
import { secureBucket } from './secure-bucket';
import { TRANSFORM_DEFAULTS, validateTransformProps, type TransformPipelineProps } from './transform-pipeline-props';

/**
 * Batch transform as a Step Functions state machine: each execution runs one SageMaker transform job
 * (CreateTransformJob with RUN_JOB, so the execution fails when the job fails) over the input prefix, or over the
 * `inputS3Uri` given in the execution input, which must lie under it. Defaults follow the TFRecord recipe: split
 * TFRecord files into single tf.Example records, one prediction per line in the output.
 *
 * The task gets the model's execution role explicitly, so that CDK does not create its default role carrying
 * AmazonSageMakerFullAccess; the state machine role only gets what the .sync integration needs.
 */
export class TransformPipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly inputBucket: s3.IBucket;
  readonly outputBucket: s3.IBucket;
  readonly inputPrefix: string;
  readonly outputPrefix: string;
  readonly uploadRule?: events.Rule;

  constructor(scope: Construct, id: string, props: TransformPipelineProps) {
    super(scope, id);
    validateTransformProps(this.node.path, props);
    this.inputPrefix = props.inputPrefix ?? TRANSFORM_DEFAULTS.inputPrefix;
    this.outputPrefix = props.outputPrefix ?? TRANSFORM_DEFAULTS.outputPrefix;
    const bucketOptions = { encryptionKey: props.kmsKey, serverAccessLogsBucket: props.serverAccessLogsBucket };
    this.inputBucket =
      props.inputBucket ?? secureBucket(this, 'InputBucket', { ...bucketOptions, eventBridgeEnabled: props.triggerOnUpload });
    this.outputBucket = props.outputBucket ?? secureBucket(this, 'OutputBucket', bucketOptions);
    this.grantJobAccess(props);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    if (props.triggerOnUpload) this.uploadRule = this.addUploadTrigger();
  }

  /** Input given? → inside the input prefix? → name the job → run it. */
  private definition(props: TransformPipelineProps): sfn.IChainable {
    const inputRoot = this.inputBucket.s3UrlForObject(this.inputPrefix);
    const prefix = props.jobNamePrefix ?? TRANSFORM_DEFAULTS.jobNamePrefix;
    // A UUID keeps names unique across retries and concurrent executions; `$$.Execution.Name` may be 80 characters.
    const nameJob = sfn.Pass.jsonPath(this, 'NameJob', {
      parameters: { name: sfn.JsonPath.format(`${prefix}-{}`, sfn.JsonPath.uuid()) },
      resultPath: '$.job',
    });
    const useDefault = sfn.Pass.jsonPath(this, 'UseInputPrefix', {
      result: sfn.Result.fromString(inputRoot),
      resultPath: '$.inputS3Uri',
    });
    const outside = sfn.Fail.jsonPath(this, 'InputOutsidePrefix', {
      error: 'InputOutsidePrefix',
      cause: `inputS3Uri must start with ${inputRoot}: the job's role reads nothing else`,
    });
    nameJob.next(this.transformTask(props));
    const given = sfn.Condition.isPresent('$.inputS3Uri');
    return sfn.Choice.jsonPath(this, 'InputGiven')
      .when(sfn.Condition.and(given, sfn.Condition.stringMatches('$.inputS3Uri', `${inputRoot}*`)), nameJob)
      .when(given, outside)
      .otherwise(useDefault.next(nameJob));
  }

  private transformTask(props: TransformPipelineProps): tasks.SageMakerCreateTransformJob {
    const instanceType = props.instanceType ?? TRANSFORM_DEFAULTS.instanceType;
    const batching = props.batching === false ? {} : batchingEnvironment(props.batching ?? {});
    const environment = { ...batching, ...props.environment };
    return tasks.SageMakerCreateTransformJob.jsonPath(this, 'Transform', {
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      transformJobName: sfn.JsonPath.stringAt('$.job.name'),
      modelName: props.model.modelName,
      role: props.model.role,
      transformInput: {
        transformDataSource: {
          s3DataSource: { s3Uri: sfn.JsonPath.stringAt('$.inputS3Uri'), s3DataType: tasks.S3DataType.S3_PREFIX },
        },
        contentType: props.contentType ?? TRANSFORM_DEFAULTS.contentType,
        splitType: props.splitType ?? tasks.SplitType.TF_RECORD,
      },
      transformOutput: {
        s3OutputPath: sfn.JsonPath.format(
          this.outputBucket.s3UrlForObject(`${this.outputPrefix}{}/`),
          sfn.JsonPath.stringAt('$.job.name'),
        ),
        accept: props.accept,
        assembleWith: props.assembleWith ?? tasks.AssembleWith.LINE,
        encryptionKey: props.kmsKey,
      },
      transformResources: {
        instanceCount: props.instanceCount ?? TRANSFORM_DEFAULTS.instanceCount,
        // The task renders `ml.` + the EC2 type name.
        instanceType: new ec2.InstanceType(instanceType.replace(/^ml\./, '')),
        volumeEncryptionKey: props.kmsKey,
      },
      batchStrategy: props.batchStrategy ?? tasks.BatchStrategy.SINGLE_RECORD,
      maxConcurrentTransforms: props.maxConcurrentTransforms ?? TRANSFORM_DEFAULTS.maxConcurrentTransforms,
      maxPayload: Size.mebibytes(props.maxPayloadInMB ?? TRANSFORM_DEFAULTS.maxPayloadInMB),
      environment: Object.keys(environment).length > 0 ? environment : undefined,
      resultPath: '$.transformJob',
    });
  }

  /** Jobs run under the model's role: read the input prefix, write the output prefix, nothing else. */
  private grantJobAccess(props: TransformPipelineProps): void {
    const role = props.model.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.inputBucket.arnForObjects(`${this.inputPrefix}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.inputBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.inputPrefix}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.outputBucket.arnForObjects(`${this.outputPrefix}*`)],
      }),
    );
    props.kmsKey?.grantEncryptDecrypt(role);
    this.inputBucket.encryptionKey?.grantDecrypt(role);
    this.outputBucket.encryptionKey?.grantEncrypt(role);
  }

  /** One execution per object created under the input prefix, transforming that object alone. */
  private addUploadTrigger(): events.Rule {
    const bucket = events.EventField.fromPath('$.detail.bucket.name');
    const key = events.EventField.fromPath('$.detail.object.key');
    return new events.Rule(this, 'UploadRule', {
      description: 'Starts a tfserve batch transform for each object uploaded under the input prefix',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.inputBucket.bucketName] }, object: { key: [{ prefix: this.inputPrefix }] } },
      },
      targets: [
        new targets.SfnStateMachine(this.stateMachine, {
          input: events.RuleTargetInput.fromObject({ inputS3Uri: `s3://${bucket}/${key}` }),
        }),
      ],
    });
  }
}
