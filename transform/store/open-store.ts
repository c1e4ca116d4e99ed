import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalDirectoryStore } from './local-store';
import { ManifestStore, parseManifest, type SizedStore } from './manifest';
import type { ObjectStore } from './object-store';
import { s3Call } from './s3-errors';
import { S3Store } from './s3-store';
import type { S3WriterOptions } from './s3-writer';
import { ObjectStoreError } from './store-error';
import { asDirectoryPrefix, parseStoreUri, prefixDirectory, type StoreLocation } from './store-uri';

/**
 * Opens a transform job's input and output from their URIs (`s3://bucket/prefix` or a local path), checking
 * everything that can be checked before work starts: the URI, the bucket or directory, the manifest, and that the
 * output does not lie inside the input.
 */

export type InputDataType = 'S3Prefix' | 'ManifestFile';

export interface InputStoreOptions {
  /** TransformInput.DataSource.S3DataSource.S3DataType; default S3Prefix. */
  dataType?: InputDataType;
  /** Client for s3:// locations; default `new S3Client({})` (region and credentials from the environment). */
  s3?: S3Client;
  /** ListObjectsV2 page size (1–1000); default 1000. */
  pageSize?: number;
}

export interface OutputStoreOptions extends S3WriterOptions {
  s3?: S3Client;
}

export async function openInputStore(uri: string, options: InputStoreOptions = {}): Promise<ObjectStore> {
  const location = parseStoreUri(uri);
  if ((options.dataType ?? 'S3Prefix') === 'ManifestFile') return openManifest(uri, location, options);
  if (location.kind === 's3') {
    const client = await checkedBucket(location.bucket, uri, s3Client(options));
    const { bucket, prefix } = location;
    return new S3Store({ client, bucket, listPrefix: prefix, keyBase: prefixDirectory(prefix), pageSize: options.pageSize });
  }
  const stats = await localStats(location.path, 'input');
  if (stats.isDirectory()) return new LocalDirectoryStore(location.path);
  // A single local file: the one object of its directory, keyed by its name (as an S3 prefix naming one key is).
  return new ManifestStore(location.path, new LocalDirectoryStore(path.dirname(location.path)), [path.basename(location.path)]);
}

/** S3 output writes `<prefix>/<key>`, whether or not the prefix ends in `/`. A local output directory is created. */
export async function openOutputStore(uri: string, options: OutputStoreOptions = {}): Promise<ObjectStore> {
  const location = parseStoreUri(uri);
  if (location.kind === 's3') {
    const client = await checkedBucket(location.bucket, uri, s3Client(options));
    const base = asDirectoryPrefix(location.prefix);
    return new S3Store({ client, bucket: location.bucket, listPrefix: base, keyBase: base, partSize: options.partSize, kmsKeyId: options.kmsKeyId });
  }
  const existing = await fs.stat(location.path).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new ObjectStoreError('bad uri', `output ${location.path} is a file, not a directory`);
  }
  await fs.mkdir(location.path, { recursive: true });
  return new LocalDirectoryStore(location.path);
}

export interface TransformStoresOptions extends InputStoreOptions, OutputStoreOptions {
  inputUri: string;
  outputUri: string;
}

/** Both stores of a job, after checking that the output is not inside the input. */
export async function openTransformStores(options: TransformStoresOptions): Promise<{ input: ObjectStore; output: ObjectStore }> {
  checkOutputOutsideInput(options.inputUri, options.outputUri, options.dataType);
  const input = await openInputStore(options.inputUri, options);
  const output = await openOutputStore(options.outputUri, options);
  return { input, output };
}

/**
 * Batch Transform's pitfall (spec §7, aws/sagemaker-python-sdk#1106): an S3Prefix is a raw key prefix, so an output
 * under it — `s3://b/data` in, `s3://b/data_out/` or `s3://b/data/out/` out — makes the job list its own outputs.
 * A manifest's objects are fixed, so it cannot pick up outputs.
 */
export function checkOutputOutsideInput(inputUri: string, outputUri: string, dataType: InputDataType = 'S3Prefix'): void {
  if (dataType === 'ManifestFile') return;
  const input = parseStoreUri(inputUri);
  const output = parseStoreUri(outputUri);
  if (!outputInside(input, output)) return;
  throw new ObjectStoreError(
    'overlap',
    `output ${outputUri} lies inside input ${inputUri}: the input is a raw key prefix, so the job would read the ` +
      `outputs it writes. End the input prefix with "/" and put the output outside it`,
  );
}

function outputInside(input: StoreLocation, output: StoreLocation): boolean {
  if (input.kind === 's3' && output.kind === 's3') {
    return input.bucket === output.bucket && asDirectoryPrefix(output.prefix).startsWith(input.prefix);
  }
  if (input.kind === 'local' && output.kind === 'local') {
    const relative = path.relative(input.path, output.path);
    return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
  }
  return false;
}

async function openManifest(uri: string, location: StoreLocation, options: InputStoreOptions): Promise<ObjectStore> {
  const client = lazy(() => s3Client(options));
  const text = location.kind === 's3' ? await readS3Text(location, uri, client()) : await readLocalText(location.path);
  const manifest = parseManifest(text, uri);
  // A relative local prefix is read from the manifest's own directory, so a manifest and its data move together.
  const prefix = parseStoreUri(location.kind === 'local' ? localPrefix(manifest.prefix, location.path) : manifest.prefix);
  if (prefix.kind === 'local' && location.kind === 's3') {
    throw new ObjectStoreError('bad manifest', `${uri}: a manifest in S3 must name an s3:// prefix, not ${manifest.prefix}`);
  }
  let base: SizedStore;
  if (prefix.kind === 's3') {
    const { bucket, prefix: key } = prefix;
    base = new S3Store({ client: await checkedBucket(bucket, manifest.prefix, client()), bucket, listPrefix: key, keyBase: key });
  } else {
    if (!(await localStats(prefix.path, `prefix of manifest ${uri}`)).isDirectory()) {
      throw new ObjectStoreError('bad manifest', `${uri}: the prefix ${prefix.path} is not a directory`);
    }
    base = new LocalDirectoryStore(prefix.path);
  }
  return new ManifestStore(uri, base, manifest.keys);
}

function localPrefix(prefix: string, manifestPath: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(prefix) || path.isAbsolute(prefix) ? prefix : path.resolve(path.dirname(manifestPath), prefix);
}

async function readS3Text(location: { bucket: string; prefix: string }, uri: string, client: S3Client): Promise<string> {
  const { Body } = await s3Call(`manifest ${uri}`, () => client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.prefix })));
  return Body === undefined ? '' : Body.transformToString('utf8');
}

async function readLocalText(file: string): Promise<string> {
  await localStats(file, 'manifest');
  return fs.readFile(file, 'utf8');
}

async function localStats(file: string, role: string) {
  return fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ObjectStoreError('not found', `${role} ${file} does not exist`, { cause: error });
    throw error;
  });
}

/** The client, once the bucket is known to exist and be reachable, so a typo fails before any work. */
async function checkedBucket(bucket: string, uri: string, client: S3Client): Promise<S3Client> {
  await s3Call(`${uri}: bucket ${bucket}`, () => client.send(new HeadBucketCommand({ Bucket: bucket })));
  return client;
}

/** The caller's client, else one configured from the environment (region, credentials), as the AWS CLI would be. */
function s3Client(options: { s3?: S3Client }): S3Client {
  return options.s3 ?? new S3Client({});
}

function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
