/** One input object: its key relative to the input root (what names `<key>.out`), and its size in bytes. */
export interface StoredObject {
  key: string;
  size: number;
}

/** Collects an object's bytes and makes them visible only on `commit`; `abort` leaves nothing behind. */
export interface AtomicWriter {
  write(chunk: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The object-store seam: a local directory or an `s3://bucket/prefix`. Keys use `/` on every platform.
 * `list` returns the objects sorted by key (byte order), as Batch Transform processes them.
 */
export interface ObjectStore {
  readonly uri: string;
  list(): Promise<StoredObject[]>;
  read(key: string): AsyncIterable<Uint8Array>;
  createWriter(key: string): Promise<AtomicWriter>;
}
