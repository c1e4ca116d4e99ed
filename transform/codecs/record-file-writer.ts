import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RecordCodec } from './record-codec';

/**
 * Streams framed records to a file atomically: they go to a temporary file beside the target, which is renamed
 * over it only on `close()`, so readers never see a half-written file and a failure leaves the old one in place.
 */
export class RecordFileWriter {
  private records = 0;
  private bytes = 0;
  /** The stream's first error (a full disk, say): kept so it is thrown by the next call, not lost or uncaught. */
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private readonly stream: fs.WriteStream,
    private readonly frame: RecordCodec['frame'],
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  static async open(target: string, codec: Pick<RecordCodec, 'frame'>): Promise<RecordFileWriter> {
    const tempPath = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const stream = fs.createWriteStream(tempPath, { flags: 'wx' });
    await once(stream, 'open');
    return new RecordFileWriter(target, tempPath, stream, codec.frame);
  }

  /** Records and bytes written so far. */
  get written(): { records: number; bytes: number } {
    return { records: this.records, bytes: this.bytes };
  }

  /** Frames and writes one payload, waiting while the file's buffer is full. */
  async write(payload: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    const framed = this.frame(payload);
    this.records++;
    this.bytes += framed.length;
    if (!this.stream.write(framed)) await once(this.stream, 'drain');
  }

  /** Flushes the file and moves it into place. */
  async close(): Promise<void> {
    await this.finish();
    await this.publish();
  }

  /** Flushes and closes the temporary file without publishing it yet: for a set of files that appear together. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'close');
  }

  /** Moves a finished file into place. */
  async publish(): Promise<void> {
    await fs.promises.rename(this.tempPath, this.path);
  }

  /** Drops the temporary file; the target is left as it was. */
  async abort(): Promise<void> {
    if (!this.stream.closed) {
      // Not events.once: a write still in flight fails with ERR_STREAM_DESTROYED, which is expected here.
      const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
      this.stream.destroy();
      await closed;
    }
    await fs.promises.rm(this.tempPath, { force: true });
  }
}
