import { applyInputFilter, joinAndFilterOutput } from '../data-processing/data-processing';
import type { TransformJobOptions } from '../job/options';
import type { Payload } from './payloads';

/**
 * The job's DataProcessing and AssembleWith as the two functions the per-object loop needs: what each record sends,
 * and what each response writes.
 */

const NEWLINE = Buffer.from('\n');

/** InputFilter for each record before it is packed; undefined when it is `$` (bytes pass untouched). */
export function inputFilterOf(job: TransformJobOptions): ((record: Uint8Array) => Uint8Array) | undefined {
  const filter = job.DataProcessing.InputFilter;
  if (filter === '$') return undefined;
  return (record) => applyInputFilter(record, job.TransformInput.ContentType, filter);
}

export function joinsInput(job: TransformJobOptions): boolean {
  return job.DataProcessing.JoinSource === 'Input';
}

/**
 * One response → the bytes written for it: JoinSource/OutputFilter (which pair the request's records with the
 * response's lines), then '\n' after it when AssembleWith is Line — per response, as the SDK's local mode does;
 * with SingleRecord that is per record.
 */
export function outputAssembler(job: TransformJobOptions): (payload: Payload, response: Buffer) => Uint8Array {
  const { JoinSource, OutputFilter } = job.DataProcessing;
  const types = { contentType: job.TransformInput.ContentType, accept: job.TransformOutput.Accept };
  const line = job.TransformOutput.AssembleWith === 'Line';
  const processed =
    JoinSource === 'None' && OutputFilter === '$'
      ? (_payload: Payload, response: Buffer): Uint8Array => response
      : (payload: Payload, response: Buffer): Uint8Array =>
          joinAndFilterOutput(payload.input ?? payload.body, response, types, JoinSource, OutputFilter);
  return line ? (payload, response) => Buffer.concat([processed(payload, response), NEWLINE]) : processed;
}
