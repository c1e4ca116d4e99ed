import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3Store } from '../../../transform/store/s3-store';
import { MIN_PART_BYTES } from '../../../transform/store/s3-writer';
import { ObjectStoreError } from '../../../transform/store/store-error';
import { noise } from '../../support/bytes';
import { startLocalS3, type LocalS3 } from '../../support/local-s3';

/** S3Store against a real S3 server (fauxqs, in a child process): listing, streamed reads, multipart writes. */

let s3: LocalS3;
let bucket: string;

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.bucket('store-test');
});

afterAll(() => s3?.stop());

const put = (key: string, body: string | Uint8Array) => s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

async function getBytes(key: string): Promise<Buffer> {
  const { Body } = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

async function exists(key: string): Promise<boolean> {
  return s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

async function readAll(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Records the multipart calls the client makes (observation only: every request still goes to the server). */
function recordMultipartCalls(client: S3Client) {
  const calls = { uploadIds: [] as string[], parts: 0, completed: 0, aborted: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { UploadId?: string };
      if (context.commandName === 'CreateMultipartUploadCommand' && output.UploadId) calls.uploadIds.push(output.UploadId);
      if (context.commandName === 'UploadPartCommand') calls.parts++;
      if (context.commandName === 'CompleteMultipartUploadCommand') calls.completed++;
      if (context.commandName === 'AbortMultipartUploadCommand') calls.aborted++;
      return result;
    },
    { step: 'initialize', name: `recordMultipart${Math.random()}` },
  );
  return calls;
}

const store = (listPrefix: string, keyBase: string, pageSize?: number) =>
  new S3Store({ client: s3.client, bucket, listPrefix, keyBase, pageSize, partSize: MIN_PART_BYTES });

describe('list', () => {
  it('pages through more than 1000 keys, in byte order, keyed relative to the prefix', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `many/part-${String(i).padStart(4, '0')}.csv`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((key) => put(key, 'x')));
    const small = await store('many/', 'many/', 100).list();
    expect(small.map((object) => object.key)).toEqual(keys.map((key) => key.slice('many/'.length)));
    expect(small.every((object) => object.size === 1)).toBe(true);
    expect(await store('many/', 'many/').list()).toEqual(small);
  });

  it('matches the prefix as a raw key prefix, as Batch Transform does, and skips folder markers', async () => {
    await Promise.all([put('raw/data/a.csv', 'a'), put('raw/data_2/b.csv', 'bb'), put('raw/data.csv', 'ccc'), put('raw/data/', Buffer.alloc(0))]);
    expect(await store('raw/data', 'raw/').list()).toEqual([
      { key: 'data.csv', size: 3 },
      { key: 'data/a.csv', size: 1 },
      { key: 'data_2/b.csv', size: 2 },
    ]);
    expect(await store('raw/data/', 'raw/data/').list()).toEqual([{ key: 'a.csv', size: 1 }]);
  });

  it('names a bucket that does not exist', async () => {
    const missing = new S3Store({ client: s3.client, bucket: 'no-such-bucket', listPrefix: '', keyBase: '' });
    await expect(missing.list()).rejects.toThrow(ObjectStoreError);
    await expect(missing.list()).rejects.toThrow(/s3:\/\/no-such-bucket\/.*does not exist/);
  });
});

describe('read', () => {
  it('streams an object byte for byte', async () => {
    const bytes = noise(3 * 1024 * 1024 + 17);
    await put('read/big.bin', bytes);
    expect((await readAll(store('read/', 'read/').read('big.bin'))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('names a missing key', async () => {
    await expect(readAll(store('read/', 'read/').read('absent'))).rejects.toThrow(/s3:\/\/store-test\/read\/absent: it does not exist/);
  });
});

describe('writer', () => {
  it('streams more than 10 MB as one multipart upload, visible only after commit, byte for byte', async () => {
    const calls = recordMultipartCalls(s3.client);
    const bytes = noise(12 * 1024 * 1024 + 12345, 99);
    const writer = await store('out/', 'out/').createWriter('big.bin.out');
    // Uneven chunks, so parts are cut across chunk boundaries.
    for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = (size * 7 + 65_537) % 1_000_003) {
      await writer.write(bytes.subarray(offset, offset + size));
    }
    expect(calls.uploadIds).toHaveLength(1);
    expect(calls.parts).toBe(2);
    expect(await exists('out/big.bin.out')).toBe(false);
    await writer.commit();
    expect(calls.parts).toBe(3);
    expect(calls.completed).toBe(1);
    expect((await getBytes('out/big.bin.out')).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes an object smaller than a part with one PutObject at commit', async () => {
    const calls = recordMultipartCalls(s3.client);
    const writer = await store('out/', 'out/').createWriter('nested/small.out');
    await writer.write(Buffer.from('small '));
    await writer.write(Buffer.from('object'));
    expect(await exists('out/nested/small.out')).toBe(false);
    await writer.commit();
    expect(calls.uploadIds).toHaveLength(0);
    expect((await getBytes('out/nested/small.out')).toString()).toBe('small object');
  });

  it('aborts the multipart upload on abort: no object, and the upload is gone', async () => {
    const calls = recordMultipartCalls(s3.client);
    const writer = await store('out/', 'out/').createWriter('aborted.out');
    await writer.write(noise(MIN_PART_BYTES + 1));
    expect(calls.uploadIds).toHaveLength(1);
    await writer.abort();
    expect(calls.aborted).toBe(1);
    expect(await exists('out/aborted.out')).toBe(false);
    // fauxqs has no ListMultipartUploads; an upload that no longer exists refuses parts.
    const late = s3.client.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'out/aborted.out', UploadId: calls.uploadIds[0], PartNumber: 2, Body: 'x' }),
    );
    await expect(late).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(writer.commit()).rejects.toThrow(/already committed or aborted/);
  });

  it('leaves nothing when aborted before the first part', async () => {
    const writer = await store('out/', 'out/').createWriter('early.out');
    await writer.write(Buffer.from('tiny'));
    await writer.abort();
    expect(await exists('out/early.out')).toBe(false);
  });
});
