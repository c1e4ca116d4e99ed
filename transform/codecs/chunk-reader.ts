/**
 * Reads an async stream of chunks of any size as a byte sequence, holding only what the current record needs.
 * Buffered chunks are kept as a list and joined once per record: re-concatenating a carried tail on every chunk costs
 * 2.6x with records larger than the chunks (spec batch-transform.md §10.1).
 *
 * Bytes handed out may be views into the source's chunks (no copy when a record lies inside one chunk), so sources
 * must not reuse a chunk's memory after yielding it; Node streams and S3 bodies never do.
 */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed. */
  private head = 0;
  private buffered = 0;
  private consumed = 0;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Bytes consumed so far: the offset in the source of the next byte. */
  get position(): number {
    return this.consumed;
  }

  /** Buffers until `count` bytes are available or the source ends; returns the bytes available. */
  async fill(count: number): Promise<number> {
    while (this.buffered < count && (await this.pull()));
    return this.buffered;
  }

  /**
   * Scans for `byte` from the read position, buffering as needed but never past `limit` bytes; returns how many bytes
   * lie up to and including it (`found`), or, when it is absent, how many were scanned: all that is left of the source,
   * or `limit`.
   */
  async scanThrough(byte: number, limit: number): Promise<{ length: number; found: boolean }> {
    let scanned = 0;
    let chunkIndex = 0;
    let from = this.head;
    for (;;) {
      if (chunkIndex === this.chunks.length && !(await this.pull())) return { length: scanned, found: false };
      const chunk = this.chunks[chunkIndex];
      const end = Math.min(chunk.length, from + limit - scanned);
      const at = chunk.subarray(0, end).indexOf(byte, from);
      if (at >= 0) return { length: scanned + at + 1 - from, found: true };
      scanned += end - from;
      if (scanned >= limit) return { length: limit, found: false };
      chunkIndex++;
      from = 0;
    }
  }

  /** The next `count` bytes (at most the bytes available) without consuming them. */
  peek(count: number): Uint8Array {
    return this.gather(count, false);
  }

  /** Consumes and returns the next `count` bytes (at most the bytes available). */
  take(count: number): Uint8Array {
    return this.gather(count, true);
  }

  /** Tells the source no more is wanted (closes a file or an S3 body); nothing is read afterwards. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.();
  }

  private async pull(): Promise<boolean> {
    while (!this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
      } else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.buffered += next.value.length;
        return true;
      }
    }
    return false;
  }

  private gather(wanted: number, consume: boolean): Uint8Array {
    const count = Math.min(wanted, this.buffered);
    const first = this.chunks[0];
    let bytes: Uint8Array;
    let drained: number;
    if (first && first.length - this.head >= count) {
      bytes = first.subarray(this.head, this.head + count);
      drained = this.head + count === first.length ? 1 : 0;
      if (consume) this.head = drained ? 0 : this.head + count;
    } else {
      bytes = new Uint8Array(count);
      let copied = 0;
      let from = this.head;
      drained = 0;
      while (copied < count) {
        const piece = this.chunks[drained].subarray(from, from + count - copied);
        bytes.set(piece, copied);
        copied += piece.length;
        if (from + piece.length < this.chunks[drained].length) {
          if (consume) this.head = from + piece.length;
          break;
        }
        drained++;
        from = 0;
        if (consume) this.head = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, drained);
      this.buffered -= count;
      this.consumed += count;
    }
    return bytes;
  }
}

/**
 * Runs `split` over a ChunkReader of `source` and closes the source however the split ends: done, failed, or dropped
 * by a consumer that stopped early, so no file handle or HTTP body is left open.
 */
export async function* readChunks<T>(
  source: AsyncIterable<Uint8Array>,
  split: (reader: ChunkReader) => AsyncIterable<T>,
): AsyncIterable<T> {
  const reader = new ChunkReader(source);
  try {
    yield* split(reader);
  } finally {
    await reader.close();
  }
}
