import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { batchingProblems, environmentSizeProblems, type BatchingSettings } from './container-environment';
import {
  matches,
  ML_INSTANCE_TYPE,
  ML_INSTANCE_TYPE_RULE,
  sagemakerName,
  throwIfInvalid,
  wholeNumberIn,
  type PropProblem,
} from './prop-checks';
import type { TfserveModel } from './tfserve-model';

export interface TransformPipelineProps {
  /** The model the transform jobs run; jobs run under its execution role, which gets the bucket grants. */
  readonly model: TfserveModel;
  /** @default - a new bucket: TLS only, public access blocked, encrypted, incomplete uploads expired */
  readonly inputBucket?: s3.IBucket;
  /** @default - a new bucket with the same settings as the input bucket */
  readonly outputBucket?: s3.IBucket;
  /** @default 'input/' */
  readonly inputPrefix?: string;
  /** Each job writes under `<outputPrefix><job name>/`. @default 'output/' */
  readonly outputPrefix?: string;
  /** @default 'application/x-tfexample' */
  readonly contentType?: string;
  /** Accept header of each request (the container answers JSON by default). @default - not sent */
  readonly accept?: string;
  /** @default SplitType.TF_RECORD */
  readonly splitType?: tasks.SplitType;
  /** @default BatchStrategy.SINGLE_RECORD (one tf.Example per request, framing removed) */
  readonly batchStrategy?: tasks.BatchStrategy;
  /** @default AssembleWith.LINE (one prediction per line in the .out file) */
  readonly assembleWith?: tasks.AssembleWith;
  /** Parallel requests per instance; ideally the container's worker count. @default 4 */
  readonly maxConcurrentTransforms?: number;
  /** Largest request in MB (0–100); concurrency × payload must stay ≤ 100. @default 1 */
  readonly maxPayloadInMB?: number;
  /** @default 'ml.m5.large' */
  readonly instanceType?: string;
  /** @default 1 */
  readonly instanceCount?: number;
  /**
   * Server-side batching inside the container during jobs (single records are then batched for the engine);
   * `false` turns it off.
   * @default {} (on, with the container's batch size and timeout)
   */
  readonly batching?: BatchingSettings | false;
  /** Further job environment variables. @default - none */
  readonly environment?: Record<string, string>;
  /** Transform job names are `<prefix>-<uuid>`: at most 26 characters here keep them within SageMaker's 63. @default 'tfserve' */
  readonly jobNamePrefix?: string;
  /** Encrypts the buckets this construct creates, the job output and the instance volumes. @default - SSE-S3 */
  readonly kmsKey?: kms.IKey;
  /**
   * Start a job when an object lands under the input prefix (EventBridge rule on the input bucket; a given bucket
   * must have EventBridge notifications enabled).
   * @default false
   */
  readonly triggerOnUpload?: boolean;
  /** Server access logs of the buckets this construct creates. @default - none */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/** SageMaker's own limits, which the CDK task does not check (CreateTransformJob API). */
export const MAX_PAYLOAD_MB = 100;
const UUID_LENGTH = 36;
export const MAX_JOB_NAME_PREFIX = 63 - UUID_LENGTH - 1;

export const TRANSFORM_DEFAULTS = {
  inputPrefix: 'input/',
  outputPrefix: 'output/',
  contentType: 'application/x-tfexample',
  maxConcurrentTransforms: 4,
  maxPayloadInMB: 1,
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  jobNamePrefix: 'tfserve',
} as const;

export function validateTransformProps(constructPath: string, props: TransformPipelineProps): void {
  const concurrency = props.maxConcurrentTransforms ?? TRANSFORM_DEFAULTS.maxConcurrentTransforms;
  const payload = props.maxPayloadInMB ?? TRANSFORM_DEFAULTS.maxPayloadInMB;
  const problems: PropProblem[] = [
    wholeNumberIn('maxPayloadInMB', props.maxPayloadInMB, 0, MAX_PAYLOAD_MB),
    wholeNumberIn('maxConcurrentTransforms', props.maxConcurrentTransforms, 1, MAX_PAYLOAD_MB),
    concurrency * payload > MAX_PAYLOAD_MB
      ? `maxConcurrentTransforms × maxPayloadInMB must be at most ${MAX_PAYLOAD_MB} (got ${concurrency} × ${payload} = ${concurrency * payload})`
      : undefined,
    wholeNumberIn('instanceCount', props.instanceCount, 1, 100),
    matches('instanceType', props.instanceType, ML_INSTANCE_TYPE, ML_INSTANCE_TYPE_RULE),
    sagemakerName('jobNamePrefix', props.jobNamePrefix, MAX_JOB_NAME_PREFIX),
    prefixProblem('inputPrefix', props.inputPrefix),
    prefixProblem('outputPrefix', props.outputPrefix),
    props.model.multiModel ? 'model: batch transform runs single-model models, not multi-model ones' : undefined,
    ...batchingProblems('batching', props.batching === false ? undefined : props.batching),
    ...environmentSizeProblems('environment', props.environment ?? {}),
  ];
  throwIfInvalid(constructPath, problems);
}

function prefixProblem(name: string, prefix: string | undefined): PropProblem {
  return matches(name, prefix, /^([^/*][^*]*\/)?$/, 'must be empty or a key prefix ending in "/", without "*" or a leading "/"');
}
