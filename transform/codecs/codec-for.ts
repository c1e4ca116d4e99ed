import { InvalidArgumentError } from '../../container/errors';
import type { CodecOptions } from './codec-options';
import { lineCodec } from './line-codec';
import { noneCodec } from './none-codec';
import type { RecordCodec, SplitType } from './record-codec';
import { recordIoCodec } from './recordio-codec';
import { tfRecordCodec } from './tfrecord-codec';

const CODECS: Record<SplitType, (options?: CodecOptions) => RecordCodec> = {
  None: noneCodec,
  Line: lineCodec,
  RecordIO: recordIoCodec,
  TFRecord: tfRecordCodec,
};

/** The codec for a TransformInput.SplitType. */
export function codecFor(splitType: SplitType, options?: CodecOptions): RecordCodec {
  // Object.hasOwn: a SplitType read from JSON or argv may be any string, even 'toString'.
  if (!Object.hasOwn(CODECS, splitType)) {
    throw new InvalidArgumentError(`unknown SplitType '${splitType}': expected one of ${Object.keys(CODECS).join(', ')}`);
  }
  return CODECS[splitType](options);
}
