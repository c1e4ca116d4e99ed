import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import {
  containerEnvironment,
  containerSettingsProblems,
  environmentSizeProblems,
  type ContainerSettings,
} from './container-environment';
import type { ModelArchive } from './model-archive';
import { throwIfInvalid, type PropProblem } from './prop-checks';
import type { ServingImage } from './serving-image';

export interface TfserveModelProps {
  /** The serving image. */
  readonly image: ServingImage;
  /** The model data: one archive, or a prefix of archives when `multiModel` is set. */
  readonly modelData: ModelArchive;
  /**
   * Container environment: default model, batching, log level, engine, extra variables.
   * @default - the container's defaults
   */
  readonly container?: ContainerSettings;
  /**
   * Serve every archive under the `modelData` prefix from one endpoint (SageMaker multi-model mode; callers pick
   * one with TargetModel).
   * @default false
   */
  readonly multiModel?: boolean;
  /**
   * A KMS key the model data (or anything the model role reads or writes) is encrypted with.
   * @default - no KMS permissions
   */
  readonly kmsKey?: kms.IKey;
}

/** CloudWatch Logs of SageMaker endpoints and jobs (`/aws/sagemaker/Endpoints/…`, `/aws/sagemaker/TransformJobs`). */
const SAGEMAKER_LOG_GROUPS = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/*`;

/**
 * A SageMaker Model (L1 `CfnModel`) for the tfserve image, with its own least-privilege execution role instead of
 * AmazonSageMakerFullAccess. No fixed name: any change replaces the Model under a new generated name, which then
 * rolls through the endpoint config without CloudFormation's "custom-named resource requires replacing" failure.
 */
export class TfserveModel extends Construct {
  /** The execution role SageMaker assumes to pull the image, read the model data and write logs and metrics. */
  readonly role: iam.Role;
  readonly cfnModel: sagemaker.CfnModel;
  /** Generated model name (what EndpointConfig and CreateTransformJob take). */
  readonly modelName: string;
  readonly multiModel: boolean;
  readonly kmsKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: TfserveModelProps) {
    super(scope, id);
    const multiModel = props.multiModel ?? false;
    const environment = containerEnvironment(props.container ?? {}, multiModel);
    throwIfInvalid(this.node.path, modelProblems(props, multiModel, environment));
    this.multiModel = multiModel;
    this.kmsKey = props.kmsKey;

    this.role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'tfserve model execution role: image pull, model data read, logs and metrics',
    });
    props.image.grantPull(this.role);
    props.modelData.grantRead(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [SAGEMAKER_LOG_GROUPS],
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }));
    props.kmsKey?.grantDecrypt(this.role);

    this.cfnModel = new sagemaker.CfnModel(this, 'Resource', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image: props.image.imageUri,
        modelDataUrl: props.modelData.modelDataUrl,
        mode: multiModel ? 'MultiModel' : 'SingleModel',
        environment: Object.keys(environment).length > 0 ? environment : undefined,
      },
    });
    // CreateModel checks ECR and S3 access when it runs: it must wait for the role's policy, not just the role
    // (aws/aws-cdk#10064). Depending on the role construct yields DependsOn [role, role's DefaultPolicy].
    this.cfnModel.node.addDependency(this.role);
    this.modelName = this.cfnModel.attrModelName;
  }
}

function modelProblems(
  props: TfserveModelProps,
  multiModel: boolean,
  environment: Record<string, string>,
): PropProblem[] {
  return [
    multiModel && !props.modelData.isPrefix
      ? 'multiModel needs model data that is an S3 prefix (s3://bucket/prefix/) holding one .tar.gz per model'
      : undefined,
    !multiModel && props.modelData.isPrefix
      ? 'model data is an S3 prefix, which only multi-model endpoints accept: set multiModel or point at one .tar.gz'
      : undefined,
    ...containerSettingsProblems(props.container ?? {}, multiModel),
    ...environmentSizeProblems('container environment', environment),
  ];
}
