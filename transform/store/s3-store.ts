import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { sortByKey } from './keys';
import type { AtomicWriter, ObjectStore, StoredObject } from './object-store';
import { s3Call } from './s3-errors';
import { S3MultipartWriter, type S3WriterOptions } from './s3-writer';
import { s3Uri } from './store-uri';

/**
 * Objects under an S3 key prefix. `listPrefix` is matched as a raw key prefix, exactly as Batch Transform's S3Prefix
 * does: `data` matches `data/x` and also `data_2/x` and `data.csv`. Keys are named relative to `keyBase` (the
 * prefix's "directory", see store-uri.ts), and `read`/`createWriter` take such relative keys.
 * Keys ending in `/` (the zero-byte "folder" objects the S3 console creates) are not listed: they hold no data and
 * could not name an output file.
 */

export interface S3StoreOptions extends S3WriterOptions {
  client: S3Client;
  bucket: string;
  /** Raw key prefix of the objects `list` returns. */
  listPrefix: string;
  /** Key prefix that relative keys are joined to; `listPrefix` must start with it. */
  keyBase: string;
  /** ListObjectsV2 MaxKeys, 1–1000; default 1000 (S3's maximum). */
  pageSize?: number;
}

export class S3Store implements ObjectStore {
  readonly uri: string;
  private readonly options: S3StoreOptions;

  constructor(options: S3StoreOptions) {
    if (!options.listPrefix.startsWith(options.keyBase)) {
      throw new RangeError(`listPrefix ${options.listPrefix} does not start with keyBase ${options.keyBase}`);
    }
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 1 && options.pageSize <= 1000)) {
      throw new RangeError(`pageSize must be an integer from 1 to 1000, got ${options.pageSize}`);
    }
    this.options = options;
    this.uri = s3Uri(options.bucket, options.listPrefix);
  }

  async list(): Promise<StoredObject[]> {
    const { client, bucket, listPrefix, keyBase, pageSize } = this.options;
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await s3Call(`listing ${this.uri}`, () =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: listPrefix, MaxKeys: pageSize, ContinuationToken: token })),
      );
      for (const { Key, Size } of page.Contents ?? []) {
        if (Key === undefined || Key.endsWith('/')) continue;
        objects.push({ key: Key.slice(keyBase.length), size: Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return sortByKey(objects);
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    const { client, bucket } = this.options;
    const uri = this.uriOf(key);
    const { Body } = await s3Call(`reading ${uri}`, () => client.send(new GetObjectCommand({ Bucket: bucket, Key: this.fullKey(key) })));
    if (Body === undefined) return;
    // In Node the SDK's body is an http.IncomingMessage: a Readable, so an async iterable of Buffers.
    yield* Body as AsyncIterable<Uint8Array>;
  }

  /** The object's size; a missing object is an error naming it. */
  async size(key: string): Promise<number> {
    const { client, bucket } = this.options;
    const head = await s3Call(this.uriOf(key), () => client.send(new HeadObjectCommand({ Bucket: bucket, Key: this.fullKey(key) })));
    return head.ContentLength ?? 0;
  }

  async createWriter(key: string): Promise<AtomicWriter> {
    const { client, bucket, partSize, kmsKeyId } = this.options;
    return new S3MultipartWriter(client, bucket, this.fullKey(key), { partSize, kmsKeyId });
  }

  private fullKey(key: string): string {
    return this.options.keyBase + key;
  }

  private uriOf(key: string): string {
    return s3Uri(this.options.bucket, this.fullKey(key));
  }
}
