import * as fs from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FormatError } from '../../container/errors';
import { codecFor } from '../codecs/codec-for';
import type { SplitRecord, SplitType } from '../codecs/record-codec';

/** Large reads keep the per-chunk overhead low; records larger than this straddle chunks, which the codecs handle. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** zlib's errors ("incorrect header check") say nothing of the file they came from. */
async function* gunzipped(file: string): AsyncIterable<Uint8Array> {
  // pipeline, not pipe: a read error (ENOENT) must reach the gunzip stream being iterated, or the loop would hang.
  const stream = pipeline(fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), createGunzip({ chunkSize: READ_CHUNK_BYTES }), () => undefined);
  try {
    yield* stream;
  } catch (error) {
    // File-system errors (they carry the syscall) already name the file.
    if ((error as NodeJS.ErrnoException).syscall) throw error;
    throw new FormatError(`${file}: not a valid gzip file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The records of a local file. A `.gz` file is gunzipped first (TensorFlow's TFRecordOptions GZIP, SageMaker's
 * CompressionType=Gzip); offsets then count decompressed bytes.
 */
export function readRecordFile(file: string, splitType: SplitType = 'TFRecord'): AsyncIterable<SplitRecord> {
  const bytes = file.endsWith('.gz') ? gunzipped(file) : fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  return codecFor(splitType).split(bytes, file);
}
