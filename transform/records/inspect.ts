import { decodeExample } from '../../container/formats/example';
import type { SplitType } from '../codecs/record-codec';
import { exampleJson, type FeatureJson } from './example-json';
import { readRecordFile } from './read-record-file';

export interface InspectOptions {
  /** Records to print; all when absent. */
  limit?: number;
  /** Bytes values that are not text show at most this many bytes (as base64). Default 64. */
  maxBytes?: number;
  splitType?: SplitType;
}

export interface InspectedRecord {
  record: number;
  offset: number;
  features: Record<string, FeatureJson>;
}

export const DEFAULT_MAX_BYTES = 64;

/**
 * Decodes each record of `file` as a tf.Example and hands it on as one JSON-ready object; stops reading (and closes
 * the file) after `limit` records. A payload that is not a tf.Example throws a FormatError naming file, record and
 * offset.
 */
export async function* inspectExamples(file: string, options: InspectOptions = {}): AsyncIterable<InspectedRecord> {
  const { limit = Infinity, maxBytes = DEFAULT_MAX_BYTES, splitType = 'TFRecord' } = options;
  if (limit <= 0) return;
  for await (const { index, offset, payload } of readRecordFile(file, splitType)) {
    const example = decodeExample(payload, `${file}: record ${index} at byte offset ${offset}`);
    yield { record: index, offset, features: exampleJson(example, maxBytes) };
    if (index + 1 >= limit) return;
  }
}
