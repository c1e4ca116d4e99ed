import type { AtomicWriter } from '../store/object-store';

/**
 * Responses finish in any order; the output lists them in input order (spec §5). Each finished response waits here
 * only until every earlier one has been written, so memory holds the out-of-order stretch, not the object's output.
 */
export class OrderedOutput {
  private next = 0;
  private readonly ready = new Map<number, Uint8Array>();
  private writing: Promise<void> = Promise.resolve();
  private bytes = 0;

  /** `onWritten(index)` runs once the chunk of `index` is handed to the writer. */
  constructor(
    private readonly writer: AtomicWriter,
    private readonly onWritten: (index: number) => void = () => undefined,
  ) {}

  get bytesWritten(): number {
    return this.bytes;
  }

  /** Queues the output of request `index`; resolves once everything writable so far is written. */
  put(index: number, chunk: Uint8Array): Promise<void> {
    this.ready.set(index, chunk);
    this.writing = this.writing.then(() => this.drain());
    return this.writing;
  }

  /** Every queued write, settled (a rejected write rejects this). */
  flushed(): Promise<void> {
    return this.writing;
  }

  private async drain(): Promise<void> {
    for (let chunk = this.ready.get(this.next); chunk !== undefined; chunk = this.ready.get(this.next)) {
      this.ready.delete(this.next);
      if (chunk.length > 0) await this.writer.write(chunk);
      this.bytes += chunk.length;
      this.onWritten(this.next++);
    }
  }
}
