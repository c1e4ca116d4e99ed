import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import type { AtomicWriter } from './object-store';
import { s3Call } from './s3-errors';
import { ObjectStoreError } from './store-error';
import { s3Uri } from './store-uri';

/**
 * An S3 object written as one multipart upload, as Batch Transform writes its outputs: nothing is visible under the
 * key until `commit` completes the upload; `abort` aborts it, so no parts are left billed. An object smaller than
 * one part never starts an upload and is a single PutObject at commit. Parts go up one at a time as they fill, so
 * memory stays at one part per writer and `write` pushes back while a part uploads. Call it one write at a time.
 */

/** S3's minimum size for every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface S3WriterOptions {
  /** Bytes per part, at least 5 MiB; default 8 MiB. */
  partSize?: number;
  /** SSE-KMS key (TransformOutput.KmsKeyId); without it the bucket's default encryption applies. */
  kmsKeyId?: string;
}

export const DEFAULT_PART_BYTES = 8 * 1024 * 1024;

export class S3MultipartWriter implements AtomicWriter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private closed = false;
  /** A part upload failed: its bytes are gone, so only abort is left. */
  private broken = false;
  private readonly partSize: number;
  private readonly encryption: { ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string };
  private readonly uri: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    options: S3WriterOptions = {},
  ) {
    this.partSize = options.partSize ?? DEFAULT_PART_BYTES;
    if (!(this.partSize >= MIN_PART_BYTES)) throw new RangeError(`partSize must be at least ${MIN_PART_BYTES} bytes, got ${this.partSize}`);
    this.encryption = options.kmsKeyId === undefined ? {} : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: options.kmsKeyId };
    this.uri = s3Uri(bucket, key);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.checkOpen('write');
    if (chunk.length === 0) return;
    // The caller may reuse its buffer once write resolves.
    this.chunks.push(chunk.slice());
    this.buffered += chunk.length;
    try {
      while (this.buffered >= this.partSize) await this.uploadPart(this.take(this.partSize));
    } catch (error) {
      this.broken = true;
      throw error;
    }
  }

  async commit(): Promise<void> {
    this.checkOpen('commit');
    this.closed = true;
    try {
      if (this.uploadId === undefined) {
        const body = this.take(this.buffered);
        await s3Call(`writing ${this.uri}`, () =>
          this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: body, ...this.encryption })),
        );
        return;
      }
      if (this.buffered > 0) await this.uploadPart(this.take(this.buffered));
      const uploadId = this.uploadId;
      await s3Call(`completing the upload of ${this.uri}`, () =>
        this.client.send(
          new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId, MultipartUpload: { Parts: this.parts } }),
        ),
      );
    } catch (error) {
      await this.abortUpload();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    await this.abortUpload();
  }

  private async uploadPart(body: Uint8Array): Promise<void> {
    const uploadId = (this.uploadId ??= await this.createUpload());
    const PartNumber = this.parts.length + 1;
    const { ETag, ChecksumCRC32 } = await s3Call(`uploading part ${PartNumber} of ${this.uri}`, () =>
      this.client.send(
        new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId, PartNumber, Body: body, ChecksumAlgorithm: 'CRC32' }),
      ),
    );
    this.parts.push({ PartNumber, ETag, ChecksumCRC32 });
  }

  /** The parts carry CRC32 checksums, and S3 refuses parts whose algorithm the upload did not declare. */
  private async createUpload(): Promise<string> {
    const { UploadId } = await s3Call(`starting the upload of ${this.uri}`, () =>
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ChecksumAlgorithm: 'CRC32', ...this.encryption }),
      ),
    );
    if (UploadId === undefined) throw new Error(`S3 started an upload of ${this.uri} without an UploadId`);
    return UploadId;
  }

  private async abortUpload(): Promise<void> {
    const uploadId = this.uploadId;
    if (uploadId === undefined) return;
    this.uploadId = undefined;
    await s3Call(`aborting the upload of ${this.uri}`, () =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })),
    );
  }

  /** The first `length` buffered bytes as one part, splitting a chunk that straddles the boundary. */
  private take(length: number): Uint8Array {
    const part = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0];
      const used = Math.min(chunk.length, length - filled);
      part.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= length;
    return part;
  }

  private checkOpen(action: string): void {
    if (this.broken) throw new ObjectStoreError('writer closed', `cannot ${action} ${this.uri}: an earlier write failed; abort the writer`);
    if (this.closed) throw new ObjectStoreError('writer closed', `cannot ${action} ${this.uri}: the writer was already committed or aborted`);
  }
}
