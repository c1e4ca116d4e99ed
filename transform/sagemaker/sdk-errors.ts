/**
 * Errors from @aws-sdk/client-sagemaker turned into something a user can act on. SageMaker reports most request
 * problems as an unmodelled `ValidationException` whose message is the only detail, so the message is always kept and
 * a hint is added for the cases with a known remedy.
 */

/** The SDK's own throttling codes (smithy's THROTTLING_ERROR_CODES, the ones SageMaker and STS use). */
const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The fields of an SDK (smithy) service exception that classification reads; plain Errors have none of them. */
interface ServiceErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function shape(error: unknown): ServiceErrorShape {
  return typeof error === 'object' && error !== null ? (error as ServiceErrorShape) : { message: String(error) };
}

export function isThrottlingError(error: unknown): boolean {
  const { name, $metadata, $retryable } = shape(error);
  return (name !== undefined && THROTTLING_NAMES.has(name)) || $metadata?.httpStatusCode === 429 || $retryable?.throttling === true;
}

/** A 5xx or a dropped connection: the request may or may not have been applied, so only idempotent calls retry it. */
export function isTransientError(error: unknown): boolean {
  const { $fault, $metadata, code } = shape(error);
  const status = $metadata?.httpStatusCode;
  return $fault === 'server' || (status !== undefined && status >= 500) || (code !== undefined && NETWORK_CODES.has(code));
}

/** What the failing call was about, for messages that name the job, model and instances. */
export interface CallContext {
  operation: 'CreateTransformJob' | 'DescribeTransformJob' | 'StopTransformJob';
  jobName: string;
  modelName?: string;
  instanceType?: string;
  region?: string;
}

function hintFor({ name = 'Error', message = '', code }: ServiceErrorShape, context: CallContext): string | undefined {
  const where = context.region ? ` in ${context.region}` : '';
  if (name === 'ValidationException' && /could not find model/i.test(message)) {
    return (
      `no SageMaker Model named "${context.modelName}"${where}: create it first (the CDK app or ` +
      '`aws sagemaker create-model`), or check --model-name and the region'
    );
  }
  if (name === 'ResourceLimitExceeded') {
    return (
      `raise the quota "${context.instanceType ?? 'instance type'} for transform job usage" in Service Quotas ` +
      '(Amazon SageMaker), wait for running jobs to finish, or lower --instance-count / pick another --instance-type'
    );
  }
  if (name === 'ResourceInUse' || (name === 'ValidationException' && /already exists|must be unique/i.test(message))) {
    return (
      'job names are unique per account and region, even after the job ends: ' +
      'choose another --job-name, or omit it for a generated one'
    );
  }
  if (name === 'ResourceNotFound') return `no transform job named "${context.jobName}"${where}`;
  if (name === 'AccessDeniedException') {
    return `the caller needs sagemaker:${context.operation} on arn:aws:sagemaker:*:*:transform-job/${context.jobName}`;
  }
  if (name === 'CredentialsProviderError') return 'no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  if (/region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or a region in the AWS profile)';
  if (code !== undefined && NETWORK_CODES.has(code)) return `cannot reach the SageMaker API${where}: check the network, proxy and region`;
  return undefined;
}

/** One line naming the call, the SDK error name, SageMaker's own message, and a remedy when there is a known one. */
export function explainSageMakerError(error: unknown, context: CallContext): string {
  const details = shape(error);
  const { name = 'Error', message = '' } = details;
  const hint = hintFor(details, context);
  const base = `${context.operation} for "${context.jobName}" failed: ${name}: ${message}`;
  return hint ? `${base}\n  hint: ${hint}` : base;
}
