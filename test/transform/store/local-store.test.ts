import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalDirectoryStore } from '../../../transform/store/local-store';
import { ObjectStoreError } from '../../../transform/store/store-error';
import { noise } from '../../support/bytes';

let root: string;
let store: LocalDirectoryStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfserve-local-store-'));
  store = new LocalDirectoryStore(root);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function readAll(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function put(key: string, content: string | Uint8Array): void {
  const file = path.join(root, ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe('list', () => {
  it('lists every file below the root, recursively, keyed by /-separated paths in byte order', async () => {
    put('b.csv', 'bb');
    put('a/z.csv', 'z');
    put('a/b/c.csv', 'ccc');
    put('a_2/x', '');
    put('\u{1F600}', 'emoji');
    put('\uFF21', 'fullwidth A');
    expect(await store.list()).toEqual([
      { key: 'a/b/c.csv', size: 3 },
      { key: 'a/z.csv', size: 1 },
      { key: 'a_2/x', size: 0 },
      { key: 'b.csv', size: 2 },
      // UTF-8 byte order: U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80), though UTF-16 order is the reverse.
      { key: '\uFF21', size: 11 },
      { key: '\u{1F600}', size: 5 },
    ]);
  });

  it('lists an empty directory as no objects', async () => {
    expect(await store.list()).toEqual([]);
  });
});

describe('read', () => {
  it('streams the bytes of a nested key', async () => {
    const bytes = noise(300_000);
    put('deep/er/file.bin', bytes);
    expect((await readAll(store.read('deep/er/file.bin'))).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each(['../outside', 'a/../../b', '/abs', 'a//b', 'a\\b', ''])('refuses the key %j, which could leave the root', async (key) => {
    await expect(readAll(store.read(key))).rejects.toThrow(ObjectStoreError);
  });
});

describe('atomic writer', () => {
  it('makes the object visible only on commit, creating parent directories', async () => {
    const writer = await store.createWriter('out/sub/file.csv.out');
    await writer.write(Buffer.from('hello '));
    await writer.write(Buffer.from('world'));
    expect(fs.existsSync(path.join(root, 'out/sub/file.csv.out'))).toBe(false);
    expect(await store.list()).toEqual([]);
    await writer.commit();
    expect(fs.readFileSync(path.join(root, 'out/sub/file.csv.out'), 'utf8')).toBe('hello world');
    expect(fs.readdirSync(path.join(root, 'out/sub'))).toEqual(['file.csv.out']);
  });

  it('leaves nothing after abort', async () => {
    const writer = await store.createWriter('x/y.out');
    await writer.write(noise(1000));
    await writer.abort();
    expect(fs.readdirSync(path.join(root, 'x'))).toEqual([]);
    await expect(writer.write(noise(1))).rejects.toThrow(/already committed or aborted/);
  });

  it('leaves only a hidden partial file, which listings skip, when the writer is never finished (a killed process)', async () => {
    const writer = await store.createWriter('y.out');
    await writer.write(noise(1000));
    const entries = fs.readdirSync(root);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^\.tfserve-partial-[0-9a-f]{16}-y\.out$/);
    expect(await store.list()).toEqual([]);
    await writer.abort();
  });

  it('replaces an existing object whole on commit and keeps it on abort', async () => {
    put('r.out', 'old');
    const aborted = await store.createWriter('r.out');
    await aborted.write(Buffer.from('new'));
    await aborted.abort();
    expect(fs.readFileSync(path.join(root, 'r.out'), 'utf8')).toBe('old');
    const committed = await store.createWriter('r.out');
    await committed.write(Buffer.from('newer'));
    await committed.commit();
    expect(fs.readFileSync(path.join(root, 'r.out'), 'utf8')).toBe('newer');
  });

  it('refuses keys that escape the root', async () => {
    await expect(store.createWriter('../escape.out')).rejects.toThrow(/cannot name a file/);
  });
});
