import { constants } from 'node:buffer';
import { RecordFormatError, type RecordLocation } from '../../container/formats/record-format-error';

export interface CodecOptions {
  /**
   * The largest record payload `split` will buffer; a larger one fails with a 'record too large' RecordFormatError
   * before it is read. Guards memory against a corrupt length or a "line" with no newline. Default: the largest
   * buffer Node can allocate.
   */
  maxPayloadBytes?: number;
}

export function payloadLimit(options: CodecOptions = {}): number {
  return options.maxPayloadBytes ?? constants.MAX_LENGTH;
}

export function checkPayloadSize(length: number, limit: number, at: RecordLocation): void {
  if (length > limit) {
    throw new RecordFormatError(at, 'record too large', `the ${length}-byte payload exceeds the limit of ${limit} bytes`);
  }
}
