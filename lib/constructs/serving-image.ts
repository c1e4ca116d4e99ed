import { Arn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { atMostOne, throwIfInvalid, type PropProblem } from './prop-checks';

export interface ServingImageProps {
  /**
   * Build context holding the tfserve Dockerfile (the repository root). Built at `cdk deploy` for linux/amd64.
   * @default - none: required unless `imageUri` is given
   */
  readonly directory?: string;
  /**
   * The Dockerfile, relative to `directory`.
   * @default 'Dockerfile'
   */
  readonly file?: string;
  /**
   * Build arguments, e.g. `{ LIBTENSORFLOW: 'gpu', RUNTIME_IMAGE: 'nvidia/cuda:…' }` for the GPU image.
   * @default - none
   */
  readonly buildArgs?: Record<string, string>;
  /**
   * An image already pushed to Amazon ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` or `@sha256:…`),
   * used instead of building one. It must be a single-platform linux/amd64 image with a Docker v2 manifest.
   * @default - build from `directory`
   */
  readonly imageUri?: string;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:<tag>|@sha256:<digest>)` */
const ECR_IMAGE_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9]+(?:[._\/-][a-z0-9]+)*)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/**
 * The serving container image: either built from the repository's Dockerfile as a CDK image asset, or an existing
 * ECR image. Synth needs no Docker: the asset only stages its build context; `cdk deploy` builds and pushes it.
 */
export class ServingImage extends Construct {
  /** The URI SageMaker pulls (`Image` of the model's container). */
  readonly imageUri: string;
  /** The repository holding the image, for pull grants. */
  readonly repository: ecr.IRepository;
  /** The image asset, when this construct builds the image. */
  readonly asset?: DockerImageAsset;

  constructor(scope: Construct, id: string, props: ServingImageProps) {
    super(scope, id);
    throwIfInvalid(this.node.path, servingImageProblems(props));

    if (props.imageUri !== undefined) {
      this.imageUri = props.imageUri;
      this.repository = importRepository(this, props.imageUri);
      return;
    }
    this.asset = new DockerImageAsset(this, 'Asset', {
      directory: props.directory as string,
      file: props.file,
      buildArgs: props.buildArgs,
      // SageMaker runs ml.* instances on x86_64, whatever machine runs `cdk deploy`.
      platform: Platform.LINUX_AMD64,
      // CreateModel rejects image indexes and OCI manifests ("Unsupported manifest media type"). The CDK CLI already
      // builds with BUILDX_NO_DEFAULT_ATTESTATIONS=1 (no provenance index); exporting with the docker exporter also
      // keeps Docker v2 media types and loads the image into the local store that cdk-assets pushes from, whichever
      // buildx driver is active.
      outputs: ['type=docker'],
    });
    this.imageUri = this.asset.imageUri;
    this.repository = this.asset.repository;
  }

  /** ECR pull on this image's repository only (plus the account-wide GetAuthorizationToken that ECR requires). */
  grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }
}

function servingImageProblems(props: ServingImageProps): PropProblem[] {
  const built = props.directory ?? props.file ?? props.buildArgs;
  return [
    atMostOne({ imageUri: props.imageUri, 'directory/file/buildArgs': built }),
    props.imageUri === undefined && props.directory === undefined
      ? 'one of directory (build the image) or imageUri (use an ECR image) is required'
      : undefined,
    props.imageUri !== undefined && !ECR_IMAGE_URI.test(props.imageUri)
      ? `imageUri must be an Amazon ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest> (got "${props.imageUri}")`
      : undefined,
  ];
}

function importRepository(scope: Construct, imageUri: string): ecr.IRepository {
  const [, account, region, china, repositoryName] = ECR_IMAGE_URI.exec(imageUri) as RegExpExecArray;
  const repositoryArn = Arn.format({
    partition: china ? 'aws-cn' : Stack.of(scope).partition,
    service: 'ecr',
    account,
    region,
    resource: 'repository',
    resourceName: repositoryName,
  });
  return ecr.Repository.fromRepositoryAttributes(scope, 'Repository', { repositoryArn, repositoryName });
}
