import { ConflictError, InsufficientStorageError } from './model-errors';

/**
 * The protocol-free core of a store of models loaded and unloaded on request (the multi-model endpoint, the Edge
 * agent): one slot per name, reserved before the first await so that of two concurrent loads of a name one wins;
 * a memory budget checked and charged synchronously so that concurrent loads cannot overshoot it together; requests
 * counted in flight so that an unload frees a model only once they have finished. What a slot holds (`T`) is the
 * caller's: its loaded model and whatever describes it.
 */

export interface ModelSlotsOptions<T> {
  /** The weight bytes all loaded models may hold together. */
  budgetBytes: number;
  /** The setting that sets the budget, named when a load would exceed it. */
  budgetSetting: string;
  /** Frees what a load produced: all of it, or the part built before the load failed. */
  dispose: (value: T) => void;
  /** The error for a name that is not loaded. */
  notLoaded: (name: string) => Error;
}

export interface SlotView<T> {
  value: T;
  /** False while the load is still running. */
  ready: boolean;
}

interface Slot<T> extends SlotView<T> {
  bytes: number;
  inFlight: number;
  onIdle?: () => void;
}

const MB = 1024 * 1024;

export class ModelSlots<T> {
  private readonly slots = new Map<string, Slot<T>>();
  /** Bytes of removed models still answering their last requests: freed only once disposed. */
  private drainingBytes = 0;

  constructor(private readonly options: ModelSlotsOptions<T>) {}

  /**
   * Reserves `name` for `value` and runs `load`, which fills `value` in and charges the budget through `reserveBytes`
   * before it allocates much. A failed load frees the slot and disposes `value`.
   */
  async add(name: string, value: T, load: (reserveBytes: (bytes: number) => void) => Promise<void>): Promise<void> {
    if (this.slots.has(name)) throw new ConflictError(`Model ${name} is already loaded.`);
    const slot: Slot<T> = { value, ready: false, bytes: 0, inFlight: 0 };
    this.slots.set(name, slot);
    try {
      await load((bytes) => this.reserve(name, slot, bytes));
    } catch (error) {
      this.slots.delete(name);
      this.options.dispose(value);
      throw error;
    }
    slot.ready = true;
  }

  get(name: string): SlotView<T> | undefined {
    const slot = this.slots.get(name);
    return slot && { value: slot.value, ready: slot.ready };
  }

  /** Every name, loaded or loading, sorted. */
  names(): string[] {
    return [...this.slots.keys()].sort();
  }

  /** Runs `work` on a loaded model, counted in flight so that `remove` waits for it. */
  async use<R>(name: string, work: (value: T) => Promise<R>): Promise<R> {
    const slot = this.slots.get(name);
    if (!slot?.ready) throw this.options.notLoaded(name);
    slot.inFlight++;
    try {
      return await work(slot.value);
    } finally {
      if (--slot.inFlight === 0) slot.onIdle?.();
    }
  }

  /** Unlisted at once (new requests are refused); resolves once the requests in flight have finished and it is freed. */
  async remove(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) throw this.options.notLoaded(name);
    if (!slot.ready) throw new ConflictError(`Model ${name} is still loading; unload it once its load has answered`);
    this.slots.delete(name);
    this.drainingBytes += slot.bytes;
    if (slot.inFlight > 0) await new Promise<void>((resolve) => (slot.onIdle = resolve));
    this.options.dispose(slot.value);
    this.drainingBytes -= slot.bytes;
  }

  /** Frees every model at shutdown, without waiting for requests (the server has answered them by then). */
  disposeAll(): void {
    for (const slot of this.slots.values()) this.options.dispose(slot.value);
    this.slots.clear();
  }

  private reserve(name: string, slot: Slot<T>, bytes: number): void {
    let used = this.drainingBytes;
    for (const other of this.slots.values()) used += other.bytes;
    if (used + bytes > this.options.budgetBytes) {
      throw new InsufficientStorageError(
        `Memory exhausted: model ${name} needs ${megabytes(bytes)} of weights, ${megabytes(used)} of the ` +
          `${megabytes(this.options.budgetBytes)} budget (${this.options.budgetSetting}) are in use; unload a model first`,
      );
    }
    slot.bytes = bytes;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(2)} MB`;
}
