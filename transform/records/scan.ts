import type { SplitType } from '../codecs/record-codec';
import { readRecordFile } from './read-record-file';

export interface FileScan {
  file: string;
  records: number;
  /** Payload bytes, framing excluded. */
  payloadBytes: number;
}

export interface FileVerification extends FileScan {
  /** Why the file is bad (a RecordFormatError names the record, offset and check); absent when every record is good. */
  error?: Error;
}

/** Counts into `scan` as it goes, so a failure still leaves the count of good records before it. */
async function scanInto(scan: FileScan, splitType: SplitType): Promise<void> {
  for await (const record of readRecordFile(scan.file, splitType)) {
    scan.records++;
    scan.payloadBytes += record.payload.length;
  }
}

/** Counts a file's records, checking every one (both CRCs for TFRecord); throws on the first bad record. */
export async function countRecords(file: string, splitType: SplitType = 'TFRecord'): Promise<FileScan> {
  const scan = { file, records: 0, payloadBytes: 0 };
  await scanInto(scan, splitType);
  return scan;
}

/**
 * Checks every record of every file, going on past bad files so that one run lists them all. `records` of a bad file
 * counts the good records before the failure.
 */
export async function verifyRecordFiles(files: readonly string[], splitType: SplitType = 'TFRecord'): Promise<FileVerification[]> {
  const results: FileVerification[] = [];
  for (const file of files) {
    const result: FileVerification = { file, records: 0, payloadBytes: 0 };
    try {
      await scanInto(result, splitType);
    } catch (error) {
      result.error = error instanceof Error ? error : new Error(String(error));
    }
    results.push(result);
  }
  return results;
}
