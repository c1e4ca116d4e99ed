import type { Logger } from 'pino';
import type { WireCaptureStatus } from '../agent-proto';
import { ConflictError } from '../../models/model-errors';
import { ResourceExhaustedError } from '../agent-errors';
import { batchObjects, type CaptureLayout } from './capture-record';
import type { Capture } from './capture-request';
import type { CaptureSink } from './capture-sinks';

/**
 * The capture buffer (CaptureData is asynchronous): accepted captures wait here, IN_PROGRESS, until a batch of
 * `batchSize` has gathered or `pushPeriodSeconds` have passed, then are written to the sink, one batch at a time.
 * A batch that still fails after `attempts` tries is FAILURE, logged with every capture id: a capture is never
 * dropped silently. Unlike the original's circular buffer, a full buffer refuses new captures (RESOURCE_EXHAUSTED)
 * rather than overwriting ones not yet written.
 */

export interface CaptureQueueOptions {
  sink: CaptureSink;
  layout: CaptureLayout;
  /** Captures that may be waiting or being written at once. */
  bufferSize: number;
  batchSize: number;
  pushPeriodSeconds: number;
  /** Tries per batch before its captures are FAILURE. */
  attempts: number;
  /** Delay before the second try, doubled before each further one. */
  retryDelayMs: number;
  /** Finished captures whose status is remembered; the oldest are forgotten first (then NOT_FOUND). */
  statusRetention: number;
  logger: Logger;
  now?: () => Date;
}

type Status = Exclude<WireCaptureStatus, 'NOT_FOUND'>;

export class CaptureQueue {
  private readonly statuses = new Map<string, Status>();
  private readonly waiting: Capture[] = [];
  private inProgress = 0;
  private finished = 0;
  private writing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: CaptureQueueOptions) {
    this.timer = setInterval(() => this.flush(), options.pushPeriodSeconds * 1000);
    this.timer.unref();
  }

  /** Accepts a checked capture: ALREADY_EXISTS for an id already known, RESOURCE_EXHAUSTED when the buffer is full. */
  submit(capture: Capture): void {
    if (this.statuses.has(capture.id)) throw new ConflictError(`capture_id ${capture.id} was already used`);
    if (this.inProgress >= this.options.bufferSize) {
      throw new ResourceExhaustedError(
        `the capture buffer holds ${this.inProgress} captures not yet written, its size ` +
          `(sagemaker_edge_core_capture_data_buffer_size=${this.options.bufferSize}); retry once GetCaptureDataStatus reports some done`,
      );
    }
    this.statuses.set(capture.id, 'IN_PROGRESS');
    this.inProgress++;
    this.waiting.push(capture);
    if (this.waiting.length >= this.options.batchSize) this.flush();
  }

  status(id: string): WireCaptureStatus {
    return this.statuses.get(id) ?? 'NOT_FOUND';
  }

  /** Stops the timer and writes every capture still waiting. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.writing || this.waiting.length > 0) await (this.writing ?? this.flush());
  }

  /** Starts writing what is waiting, unless a batch is being written (which continues with the rest). */
  private flush(): Promise<void> | undefined {
    if (this.writing || this.waiting.length === 0) return this.writing;
    this.writing = (async () => {
      while (this.waiting.length > 0) await this.write(this.waiting.splice(0, this.options.batchSize));
    })().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async write(batch: Capture[]): Promise<void> {
    const ids = batch.map((capture) => capture.id);
    const objects = batchObjects(batch, (this.options.now ?? (() => new Date()))(), this.options.layout);
    let outcome: Status = 'SUCCESS';
    for (let attempt = 1; ; attempt++) {
      try {
        for (const object of objects) await this.options.sink.put(object);
        this.options.logger.debug({ captures: ids, sink: this.options.sink.location }, 'captures written');
        break;
      } catch (error) {
        if (attempt >= this.options.attempts) {
          this.options.logger.error({ err: error, captures: ids, sink: this.options.sink.location, attempts: attempt }, 'captures failed');
          outcome = 'FAILURE';
          break;
        }
        this.options.logger.warn({ err: error, captures: ids, attempt }, 'writing captures failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
    for (const id of ids) this.finish(id, outcome);
  }

  private finish(id: string, status: Status): void {
    this.statuses.set(id, status);
    this.inProgress--;
    this.finished++;
    if (this.finished <= this.options.statusRetention) return;
    // Map keeps insertion order: the first finished entry is the oldest.
    for (const [oldId, oldStatus] of this.statuses) {
      if (oldStatus === 'IN_PROGRESS') continue;
      this.statuses.delete(oldId);
      this.finished--;
      break;
    }
  }
}
