import type { BatchSettings } from './batch-settings';

/** What a local transform job did: the job's outcome like DescribeTransformJob, plus a line per input object. */

export type ObjectStatus = 'Completed' | 'Failed';

export interface ObjectResult {
  /** The input key, relative to the input location; the output is `<key>.out`. */
  key: string;
  status: ObjectStatus;
  /** Records whose response came back (all of them when Completed). */
  records: number;
  requests: number;
  /** Bytes read from the input (before Gzip decompression). */
  bytesIn: number;
  /** Bytes of `<key>.out`; 0 when Failed (nothing is kept). */
  bytesOut: number;
  error?: string;
}

export interface TransformResult {
  status: ObjectStatus;
  /** Like DescribeTransformJob's: at most 1024 characters, naming the first failed objects. */
  failureReason?: string;
  /** The settings used, after job > /execution-parameters > defaults. */
  settings: BatchSettings;
  objects: ObjectResult[];
  seconds: number;
}

/** Progress events, in the order they happen. */
export interface ProgressSink {
  jobStarted(objects: number, totalBytes: number): void;
  bytesRead(count: number): void;
  recordsDone(count: number): void;
  objectFinished(result: ObjectResult): void;
  jobFinished(result: TransformResult): void;
}

export const SILENT_PROGRESS: ProgressSink = {
  jobStarted: () => undefined,
  bytesRead: () => undefined,
  recordsDone: () => undefined,
  objectFinished: () => undefined,
  jobFinished: () => undefined,
};

const FAILURE_REASON_CHARS = 1024;

/** SageMaker's FailureReason: short, naming what failed first, capped at the API's 1024 characters. */
export function failureReason(objects: readonly ObjectResult[]): string | undefined {
  const failed = objects.filter((object) => object.status === 'Failed');
  if (failed.length === 0) return undefined;
  const first = `${failed[0].key}: ${failed[0].error ?? 'failed'}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more of ${objects.length} objects failed)` : '';
  const text = `${failed.length === 1 ? '1 object' : `${failed.length} objects`} failed. ${first}${more}`;
  return text.length <= FAILURE_REASON_CHARS ? text : `${text.slice(0, FAILURE_REASON_CHARS - 1)}…`;
}
