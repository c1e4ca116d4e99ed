import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { atMostOne, throwIfInvalid, type PropProblem } from './prop-checks';

export interface ModelArchiveProps {
  /**
   * A local `model.tar.gz` written by `packModelArchive()` / `tfserve archive pack` (deterministic: the same models
   * give the same bytes, hence the same asset hash and no re-upload). Uploaded to the CDK assets bucket at deploy.
   * @default - none: exactly one of `archiveFile` and `s3Uri` is required
   */
  readonly archiveFile?: string;
  /**
   * Model data already in S3: `s3://bucket/key.tar.gz` for one archive, or `s3://bucket/prefix/` (ending in `/`)
   * holding one `.tar.gz` per model for a multi-model endpoint.
   * @default - none: exactly one of `archiveFile` and `s3Uri` is required
   */
  readonly s3Uri?: string;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/**
 * The model data SageMaker downloads into /opt/ml/model: a packed archive uploaded as an S3 asset, or an existing S3
 * object or prefix. Read access is granted object by object, never on the whole assets bucket.
 */
export class ModelArchive extends Construct {
  /** `ModelDataUrl` of the container: the archive, or the multi-model prefix. */
  readonly modelDataUrl: string;
  readonly bucketName: string;
  /** The archive's key, or the prefix (ending in `/`) for multi-model data. */
  readonly objectKey: string;
  /** True when `modelDataUrl` is a prefix of several archives (multi-model endpoints). */
  readonly isPrefix: boolean;
  /** The S3 asset, when this construct uploads the archive. */
  readonly asset?: Asset;

  constructor(scope: Construct, id: string, props: ModelArchiveProps) {
    super(scope, id);
    throwIfInvalid(this.node.path, modelArchiveProblems(props));

    if (props.s3Uri !== undefined) {
      const [, bucket, key] = S3_URI.exec(props.s3Uri) as RegExpExecArray;
      this.bucketName = bucket;
      this.objectKey = key;
      this.isPrefix = key.endsWith('/');
      this.modelDataUrl = props.s3Uri;
      return;
    }
    // The staged file keeps `.tar.gz`, but the asset's S3 key ends in `.gz` (aws/aws-cdk#30257); SageMaker reads it
    // by content, not by name, so that is harmless.
    this.asset = new Asset(this, 'Asset', { path: props.archiveFile as string });
    this.bucketName = this.asset.s3BucketName;
    this.objectKey = this.asset.s3ObjectKey;
    this.isPrefix = false;
    this.modelDataUrl = this.asset.s3ObjectUrl;
  }

  /**
   * `s3:GetObject` on exactly this archive; for a multi-model prefix, on the objects under it plus `s3:ListBucket`
   * limited to that prefix (SageMaker lists it to tell a missing model from a forbidden one).
   */
  grantRead(grantee: iam.IGrantable): void {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    const objects = this.isPrefix ? `${bucketArn}/${this.objectKey}*` : `${bucketArn}/${this.objectKey}`;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
    );
    if (!this.isPrefix) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.objectKey}*`] } },
      }),
    );
  }
}

function modelArchiveProblems(props: ModelArchiveProps): PropProblem[] {
  const s3Uri = props.s3Uri;
  return [
    atMostOne({ archiveFile: props.archiveFile, s3Uri }),
    props.archiveFile === undefined && s3Uri === undefined
      ? 'one of archiveFile (a packed model.tar.gz) or s3Uri is required'
      : undefined,
    props.archiveFile !== undefined && !props.archiveFile.endsWith('.tar.gz')
      ? `archiveFile must be a .tar.gz written by packModelArchive / tfserve archive pack (got "${props.archiveFile}")`
      : undefined,
    s3Uri !== undefined && !(S3_URI.test(s3Uri) && (s3Uri.endsWith('.tar.gz') || s3Uri.endsWith('/')))
      ? `s3Uri must be s3://<bucket>/<key>.tar.gz or a multi-model prefix s3://<bucket>/<prefix>/ (got "${s3Uri}")`
      : undefined,
  ];
}
