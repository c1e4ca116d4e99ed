/** How an input object is cut into records: SageMaker's `TransformInput.SplitType`. */
export type SplitType = 'None' | 'Line' | 'RecordIO' | 'TFRecord';

/** One record of an input object. */
export interface SplitRecord {
  /** 0-based position of the record in its object. */
  index: number;
  /** Byte offset of the record's first byte (its framing, if any) in the (decompressed) object. */
  offset: number;
  /** The record with its framing stripped: what SingleRecord sends. */
  payload: Uint8Array;
  /** The record exactly as it appears in the object, framing included: what MultiRecord packs. */
  framed: Uint8Array;
}

/**
 * The record-codec seam. `split` streams: it holds one record (plus one read chunk) at a time, so objects far larger
 * than memory go through. A malformed record throws a RecordFormatError naming the source, the record index, the byte
 * offset and the check that failed.
 */
export interface RecordCodec {
  readonly splitType: SplitType;
  split(source: AsyncIterable<Uint8Array>, sourceName: string): AsyncIterable<SplitRecord>;
  /** Frames one payload as the format stores it (the inverse of `split`'s framing strip). */
  frame(payload: Uint8Array): Uint8Array;
}
