import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * An input object's bytes on their way to the splitter: counted as they are read (progress counts stored bytes,
 * which the listing's sizes total), then decompressed when CompressionType is Gzip — the whole object, as SageMaker
 * does, before splitting.
 */

export async function* counted(source: AsyncIterable<Uint8Array>, onBytes: (count: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    onBytes(chunk.length);
    yield chunk;
  }
}

export async function* gunzipped(source: AsyncIterable<Uint8Array>, name: string): AsyncIterable<Uint8Array> {
  const inflate = createGunzip();
  // pipeline (not pipe): a read error from the store reaches the iteration below instead of being lost.
  const output = pipeline(Readable.from(source), inflate, () => undefined);
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (!isZlibError(error)) throw error;
    throw new Error(`${name}: cannot decompress (CompressionType is Gzip): ${(error as Error).message}`, { cause: error });
  } finally {
    output.destroy();
  }
}

function isZlibError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('Z_');
}
