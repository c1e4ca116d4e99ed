import { RecordFormatError } from '../../container/formats/record-format-error';
import type { SplitRecord } from '../codecs/record-codec';
import type { BatchStrategy } from './batch-settings';

/**
 * Turns an object's records into request bodies (spec §3, §8.3):
 * - SingleRecord: one body per record, its framing stripped (a TFRecord's data, a line without '\n');
 * - MultiRecord: whole framed records (binary) or lines, '\n' kept, packed greedily up to the limit, so a body is
 *   a byte-exact slice of the object when no InputFilter applies. Bodies never span objects: one call, one object.
 * A record alone larger than the limit fails the object: SageMaker never splits a record across requests.
 */

export interface Payload {
  /** 0-based position among the object's requests: the order responses are written in. */
  index: number;
  firstRecord: number;
  recordCount: number;
  body: Buffer;
  /** The records as they were before InputFilter, for JoinSource Input; absent when nothing is joined. */
  input?: Buffer;
}

export interface PayloadPlan {
  strategy: BatchStrategy;
  /** Largest body in bytes; Infinity for MaxPayloadInMB 0. */
  limitBytes: number;
  /** Names the object in errors. */
  source: string;
  /** InputFilter, applied to each record before it is counted against the limit. */
  filter?: (record: Uint8Array) => Uint8Array;
  /** Keep each body's unfiltered records (JoinSource Input). */
  keepInput: boolean;
}

export class PayloadTooLargeForJobError extends Error {
  override name = 'PayloadTooLargeForJobError';
}

export function payloadLimitBytes(maxPayloadInMB: number): number {
  return maxPayloadInMB === 0 ? Infinity : maxPayloadInMB * 1024 * 1024;
}

export async function* payloadsOf(records: AsyncIterable<SplitRecord>, plan: PayloadPlan): AsyncIterable<Payload> {
  let parts: Uint8Array[] = [];
  let inputs: Uint8Array[] = [];
  let size = 0;
  let firstRecord = 0;
  let index = 0;
  const flush = (): Payload => {
    const payload: Payload = { index: index++, firstRecord, recordCount: parts.length, body: Buffer.concat(parts, size) };
    if (plan.keepInput) payload.input = Buffer.concat(inputs);
    parts = [];
    inputs = [];
    size = 0;
    return payload;
  };
  for await (const record of limitedRecords(records, plan)) {
    const original = plan.strategy === 'SingleRecord' ? record.payload : record.framed;
    const part = plan.filter ? plan.filter(original) : original;
    if (part.length > plan.limitBytes) throw tooLarge(plan, record, part.length);
    if (plan.strategy === 'MultiRecord' && parts.length > 0 && size + part.length > plan.limitBytes) yield flush();
    if (parts.length === 0) firstRecord = record.index;
    parts.push(part);
    if (plan.keepInput) inputs.push(original);
    size += part.length;
    if (plan.strategy === 'SingleRecord') yield flush();
  }
  if (parts.length > 0) yield flush();
}

/**
 * The codec refuses to buffer a payload over the job's limit (a corrupt length cannot exhaust memory); its error
 * becomes the same one as for a framed record over the limit, naming the setting to change.
 */
async function* limitedRecords(records: AsyncIterable<SplitRecord>, plan: PayloadPlan): AsyncIterable<SplitRecord> {
  try {
    yield* records;
  } catch (error) {
    if (!(error instanceof RecordFormatError) || error.check !== 'record too large') throw error;
    throw tooLarge(plan, { index: error.recordIndex, offset: error.offset }, undefined, error);
  }
}

function tooLarge(plan: PayloadPlan, record: Pick<SplitRecord, 'index' | 'offset'>, bytes?: number, cause?: unknown): PayloadTooLargeForJobError {
  const limitMb = plan.limitBytes / (1024 * 1024);
  return new PayloadTooLargeForJobError(
    `${plan.source}: record ${record.index} at byte offset ${record.offset} is ${bytes === undefined ? '' : `${bytes} bytes, `}more than MaxPayloadInMB ` +
      `${limitMb} (${plan.limitBytes} bytes) allows in one request; raise MaxPayloadInMB (at most 100) or split the record`,
    { cause },
  );
}
