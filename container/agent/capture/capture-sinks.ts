import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CaptureObject } from './capture-record';

/**
 * Where captured batches go: `sagemaker_edge_core_capture_data_destination` Disk (a directory) or Cloud (an S3
 * bucket). Both write one object at a time and either store it whole or throw.
 */
export interface CaptureSink {
  /** For logs: `file:///dir` or `s3://bucket`. */
  readonly location: string;
  put(object: CaptureObject): Promise<void>;
}

/** Each file is written under a temporary name and renamed, so a reader never sees half a file. */
export function diskSink(root: string): CaptureSink {
  const base = path.resolve(root);
  return {
    location: `file://${base}`,
    async put({ key, body }) {
      const file = path.join(base, ...key.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      const partial = `${file}.partial-${process.pid}`;
      try {
        await fs.writeFile(partial, body);
        await fs.rename(partial, file);
      } catch (error) {
        await fs.rm(partial, { force: true });
        throw error;
      }
    },
  };
}

export function s3Sink(client: S3Client, bucket: string): CaptureSink {
  return {
    location: `s3://${bucket}`,
    async put({ key, body }) {
      const contentType = key.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream';
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
  };
}
