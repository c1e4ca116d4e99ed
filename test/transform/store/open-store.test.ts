import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../../../transform/store/object-store';
import {
  checkOutputOutsideInput,
  openInputStore,
  openOutputStore,
  openTransformStores,
} from '../../../transform/store/open-store';
import { startLocalS3, type LocalS3 } from '../../support/local-s3';

/** The factories on local directories and on a real S3 server (fauxqs): URIs, manifests, checks before work. */

let s3: LocalS3;
let bucket: string;
let dir: string;

beforeAll(async () => {
  s3 = await startLocalS3();
  bucket = await s3.bucket('open-test');
  await Promise.all(
    ['in/a.csv', 'in/sub/b.csv', 'in_2/c.csv', 'images/x1.png', 'images/x2.png', 'images/x3.png'].map((key) =>
      s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` })),
    ),
  );
});

afterAll(() => s3?.stop());

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-open-store-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function text(store: ObjectStore, key: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of store.read(key)) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

function write(file: string, content: string): string {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

describe('S3Prefix input', () => {
  it('lists a prefix ending in / with keys relative to it', async () => {
    const store = await openInputStore(`s3://${bucket}/in/`, { s3: s3.client });
    expect(await store.list()).toEqual([
      { key: 'a.csv', size: 'body of in/a.csv'.length },
      { key: 'sub/b.csv', size: 'body of in/sub/b.csv'.length },
    ]);
    expect(await text(store, 'sub/b.csv')).toBe('body of in/sub/b.csv');
  });

  it('treats a prefix without / as a raw key prefix (the Batch Transform pitfall)', async () => {
    const store = await openInputStore(`s3://${bucket}/in`, { s3: s3.client });
    expect((await store.list()).map((object) => object.key)).toEqual(['in/a.csv', 'in/sub/b.csv', 'in_2/c.csv']);
  });

  it('reads a local directory recursively, and a local file as its one object', async () => {
    write('data/one.csv', '1');
    write('data/deep/two.csv', '22');
    expect(await (await openInputStore(path.join(dir, 'data'))).list()).toEqual([
      { key: 'deep/two.csv', size: 2 },
      { key: 'one.csv', size: 1 },
    ]);
    const single = await openInputStore(path.join(dir, 'data/one.csv'));
    expect(await single.list()).toEqual([{ key: 'one.csv', size: 1 }]);
    expect(await text(single, 'one.csv')).toBe('1');
  });

  it.each([
    [() => openInputStore('s3://no-such-bucket/in/', { s3: s3.client }), /s3:\/\/no-such-bucket\/in\/: bucket no-such-bucket: it does not exist/],
    [() => openInputStore('/definitely/not/here'), /input \/definitely\/not\/here does not exist/],
    [() => openInputStore('ftp://host/x'), /unsupported scheme ftp:\/\//],
  ])('fails before any work when the input is wrong (%#)', async (open, message) => {
    await expect(open()).rejects.toThrow(message);
  });
});

describe('ManifestFile input', () => {
  const manifest = (prefix: string, ...keys: string[]) => JSON.stringify([{ prefix }, ...keys]);

  it('lists an S3 manifest\'s objects sorted by key, keyed by their manifest paths', async () => {
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'manifests/m.json', Body: manifest(`s3://${bucket}/images/`, 'x3.png', 'x1.png') }),
    );
    const store = await openInputStore(`s3://${bucket}/manifests/m.json`, { dataType: 'ManifestFile', s3: s3.client });
    expect(await store.list()).toEqual([
      { key: 'x1.png', size: 'body of images/x1.png'.length },
      { key: 'x3.png', size: 'body of images/x3.png'.length },
    ]);
    expect(await text(store, 'x3.png')).toBe('body of images/x3.png');
  });

  it('joins an S3 prefix as a raw string', async () => {
    const file = write('raw.json', manifest(`s3://${bucket}/images/x`, '1.png', '2.png'));
    const store = await openInputStore(file, { dataType: 'ManifestFile', s3: s3.client });
    expect((await store.list()).map((object) => object.key)).toEqual(['1.png', '2.png']);
    expect(await text(store, '2.png')).toBe('body of images/x2.png');
  });

  it('reads a local manifest naming a local directory', async () => {
    write('objects/a/1.bin', 'one');
    write('objects/2.bin', 'two!');
    const file = write('m.json', manifest(path.join(dir, 'objects'), 'a/1.bin', '2.bin'));
    const store = await openInputStore(file, { dataType: 'ManifestFile' });
    expect(await store.list()).toEqual([
      { key: '2.bin', size: 4 },
      { key: 'a/1.bin', size: 3 },
    ]);
  });

  it('reads a relative local prefix from the manifest\'s directory', async () => {
    write('nested/objects/1.bin', 'one');
    const file = write('nested/m.json', manifest('objects', '1.bin'));
    expect(await (await openInputStore(file, { dataType: 'ManifestFile' })).list()).toEqual([{ key: '1.bin', size: 3 }]);
  });

  it('names a missing entry when listing, before any object is read', async () => {
    const file = write('m.json', manifest(`s3://${bucket}/images/`, 'x1.png', 'x9.png'));
    const store = await openInputStore(file, { dataType: 'ManifestFile', s3: s3.client });
    await expect(store.list()).rejects.toThrow(/entry "x9\.png": s3:\/\/open-test\/images\/x9\.png: it does not exist/);
  });

  it('refuses an S3 manifest naming a local prefix', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifests/local.json', Body: manifest('/tmp/data/', 'a') }));
    await expect(openInputStore(`s3://${bucket}/manifests/local.json`, { dataType: 'ManifestFile', s3: s3.client })).rejects.toThrow(
      /a manifest in S3 must name an s3:\/\/ prefix/,
    );
  });
});

describe('output', () => {
  it('writes <prefix>/<key> whether or not the prefix ends in /', async () => {
    for (const uri of [`s3://${bucket}/results`, `s3://${bucket}/results/`]) {
      const writer = await (await openOutputStore(uri, { s3: s3.client })).createWriter('sub/a.csv.out');
      await writer.write(Buffer.from(uri));
      await writer.commit();
      const { Body } = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'results/sub/a.csv.out' }));
      expect(await Body!.transformToString()).toBe(uri);
    }
  });

  it('creates a local output directory, and refuses a file', async () => {
    const store = await openOutputStore(path.join(dir, 'new/out'));
    const writer = await store.createWriter('x.out');
    await writer.commit();
    expect(fs.existsSync(path.join(dir, 'new/out/x.out'))).toBe(true);
    await expect(openOutputStore(write('file', ''))).rejects.toThrow(/is a file, not a directory/);
  });
});

describe('output inside the input', () => {
  it.each([
    ['s3://bkt/data', 's3://bkt/data_out/'],
    ['s3://bkt/data', 's3://bkt/data/out'],
    ['s3://bkt/data/', 's3://bkt/data/out/'],
    ['s3://bkt', 's3://bkt/anything'],
  ])('refuses input %s with output %s', (input, output) => {
    expect(() => checkOutputOutsideInput(input, output)).toThrow(/lies inside input .*End the input prefix with "\/"/);
  });

  it.each([
    ['s3://bkt/data/', 's3://bkt/data_out/'],
    ['s3://bkt/data', 's3://other-bucket/data/out'],
    ['s3://bkt/data/in/', 's3://bkt/data/'],
  ])('accepts input %s with output %s', (input, output) => {
    expect(() => checkOutputOutsideInput(input, output)).not.toThrow();
  });

  it('compares local directories by path, and skips the check for manifests', () => {
    expect(() => checkOutputOutsideInput(dir, path.join(dir, 'out'))).toThrow(/lies inside input/);
    expect(() => checkOutputOutsideInput(dir, dir)).toThrow(/lies inside input/);
    expect(() => checkOutputOutsideInput(dir, `${dir}-out`)).not.toThrow();
    expect(() => checkOutputOutsideInput('s3://bkt/m.json', 's3://bkt/m.json.out/', 'ManifestFile')).not.toThrow();
  });

  it('is checked by openTransformStores before anything is opened', async () => {
    await expect(openTransformStores({ inputUri: `s3://${bucket}/in`, outputUri: `s3://${bucket}/in_results/`, s3: s3.client })).rejects.toThrow(
      /lies inside input/,
    );
    const { input, output } = await openTransformStores({ inputUri: `s3://${bucket}/in/`, outputUri: `s3://${bucket}/out/`, s3: s3.client });
    expect((await input.list()).length).toBe(2);
    expect(output.uri).toBe(`s3://${bucket}/out/`);
  });
});
