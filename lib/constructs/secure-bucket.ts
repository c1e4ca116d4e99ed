import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketOptions {
  /**
   * Encrypt objects with this key instead of S3-managed keys.
   * @default - SSE-S3
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where S3 writes this bucket's server access logs.
   * @default - no access logs (cdk-nag AwsSolutions-S1 then asks for an acknowledgement)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * Send object events to EventBridge (needed by an upload trigger).
   * @default false
   */
  readonly eventBridgeEnabled?: boolean;
}

/** Days after which S3 drops the parts of a multipart upload nobody completed (they are billed while they exist). */
export const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

/**
 * A data bucket with the defaults every bucket of this app needs: TLS-only access, all public access blocked,
 * encryption at rest, incomplete multipart uploads expired, server access logs when a log bucket is given.
 * Retained on stack deletion: it holds user data (inputs, predictions, captured traffic).
 */
export function secureBucket(scope: Construct, id: string, options: SecureBucketOptions = {}): s3.Bucket {
  const logPrefix = `${id.toLowerCase()}/`;
  const bucket = new s3.Bucket(scope, id, {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: options.encryptionKey ? true : undefined,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsBucket ? logPrefix : undefined,
    lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  if (options.eventBridgeEnabled) {
    // Set on the CfnBucket: the L2 `eventBridgeEnabled` prop goes through a Lambda-backed custom resource.
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }
  return bucket;
}

/** The destination of the other buckets' server access logs (S3 log delivery needs SSE-S3, not KMS). */
export function accessLogsBucket(scope: Construct, id: string): s3.Bucket {
  return new s3.Bucket(scope, id, {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [
      { abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS), expiration: Duration.days(365) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
