import { FormatError } from '../errors';

/** The check a record failed; each names the framing rule that was broken. */
export type RecordCheck =
  | 'truncated length'
  | 'length CRC'
  | 'truncated payload'
  | 'data CRC'
  | 'record too large'
  | 'bad RecordIO magic'
  | 'bad RecordIO cflag'
  | 'truncated multipart record';

/** Where a record sits: the object or file it came from, its 0-based index, the byte offset of its first byte. */
export interface RecordLocation {
  source: string;
  recordIndex: number;
  offset: number;
}

/**
 * A TFRecord / RecordIO / line record that breaks its framing. The message names the source, the record index, the
 * byte offset and the check, so a bad shard in a large job can be found and cut out without a hex editor.
 */
export class RecordFormatError extends FormatError {
  override name = 'RecordFormatError';
  readonly source: string;
  readonly recordIndex: number;
  readonly offset: number;
  readonly check: RecordCheck;

  constructor(at: RecordLocation, check: RecordCheck, detail: string) {
    super(`${at.source}: record ${at.recordIndex} at byte offset ${at.offset}: ${check} check failed: ${detail}`);
    this.source = at.source;
    this.recordIndex = at.recordIndex;
    this.offset = at.offset;
    this.check = check;
  }
}
