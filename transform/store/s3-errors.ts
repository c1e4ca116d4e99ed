import { ObjectStoreError } from './store-error';

/** What the SDK throws, reduced to what names the problem: 404s and 403s become ObjectStoreErrors naming `what`. */
interface S3ServiceError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND = new Set(['NoSuchBucket', 'NoSuchKey', 'NotFound', 'NoSuchUpload']);

export function describeS3Error(error: unknown, what: string): unknown {
  const { name, $metadata } = (error ?? {}) as S3ServiceError;
  const status = $metadata?.httpStatusCode;
  if ((name !== undefined && NOT_FOUND.has(name)) || status === 404) {
    const detail = name === 'NoSuchBucket' ? 'the bucket does not exist' : 'it does not exist';
    return new ObjectStoreError('not found', `${what}: ${detail}`, { cause: error });
  }
  if (name === 'AccessDenied' || status === 403) {
    return new ObjectStoreError('access denied', `${what}: access denied (check the credentials' S3 permissions)`, { cause: error });
  }
  return error;
}

/** Runs an S3 call, rethrowing its error described. */
export async function s3Call<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeS3Error(error, what);
  }
}
