import { SingleBar } from 'cli-progress';
import { formatBytes, formatRate } from './summary';
import type { ObjectResult, ProgressSink, TransformResult } from './transform-result';

/**
 * Progress for the CLI: on a terminal a bar over the input bytes, with records, their rate and the ETA; elsewhere
 * (CI logs, redirected output) a plain line every `intervalMs` and one per finished object, as a bar's control
 * characters make logs unreadable.
 */

/** Where progress goes: stderr, or any writable (a terminal says so with `isTTY`). */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface ProgressOptions {
  stream: ProgressStream;
  /** Default: whether `stream` is a terminal. */
  tty?: boolean;
  /** Plain mode only. Default 10 s. */
  intervalMs?: number;
}

interface Totals {
  objects: number;
  bytes: number;
  bytesRead: number;
  records: number;
  finished: number;
  failed: number;
  startedAt: number;
}

export function createProgress(options: ProgressOptions): ProgressSink {
  return (options.tty ?? options.stream.isTTY === true) ? barProgress(options.stream) : lineProgress(options.stream, options.intervalMs ?? 10_000);
}

function newTotals(): Totals {
  return { objects: 0, bytes: 0, bytesRead: 0, records: 0, finished: 0, failed: 0, startedAt: Date.now() };
}

function tally(totals: Totals, result: ObjectResult): void {
  totals.finished++;
  if (result.status === 'Failed') totals.failed++;
}

function counts(totals: Totals) {
  const seconds = (Date.now() - totals.startedAt) / 1000;
  return {
    bytesDone: formatBytes(totals.bytesRead),
    bytesTotal: formatBytes(totals.bytes),
    records: String(totals.records),
    recordRate: formatRate(totals.records, seconds),
    objectsDone: String(totals.finished),
    objectsTotal: String(totals.objects),
    failed: totals.failed === 0 ? '' : `, ${totals.failed} failed`,
  };
}

function barProgress(stream: ProgressStream): ProgressSink {
  const totals = newTotals();
  const bar = new SingleBar({
    stream,
    format:
      '{bar} {percentage}% | {bytesDone} / {bytesTotal} | {records} records ({recordRate}/s) | ' +
      '{objectsDone}/{objectsTotal} objects{failed} | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
  });
  const update = () => bar.update(totals.bytesRead, counts(totals));
  return {
    jobStarted(objects, bytes) {
      Object.assign(totals, newTotals(), { objects, bytes });
      bar.start(Math.max(bytes, 1), 0, counts(totals));
    },
    bytesRead(count) {
      totals.bytesRead += count;
      update();
    },
    recordsDone(count) {
      totals.records += count;
      update();
    },
    objectFinished(result) {
      tally(totals, result);
      update();
    },
    jobFinished() {
      update();
      bar.stop();
    },
  };
}

function lineProgress(stream: ProgressStream, intervalMs: number): ProgressSink {
  const totals = newTotals();
  let timer: NodeJS.Timeout | undefined;
  const report = () => {
    const c = counts(totals);
    const percent = totals.bytes === 0 ? 100 : Math.floor((100 * totals.bytesRead) / totals.bytes);
    stream.write(`progress: ${percent}% ${c.bytesDone} / ${c.bytesTotal}, ${c.records} records (${c.recordRate}/s), ${c.objectsDone}/${c.objectsTotal} objects${c.failed}\n`);
  };
  return {
    jobStarted(objects, bytes) {
      Object.assign(totals, newTotals(), { objects, bytes });
      stream.write(`transforming ${objects} object${objects === 1 ? '' : 's'}, ${formatBytes(bytes)}\n`);
      timer = setInterval(report, intervalMs);
      timer.unref();
    },
    bytesRead(count) {
      totals.bytesRead += count;
    },
    recordsDone(count) {
      totals.records += count;
    },
    objectFinished(result) {
      tally(totals, result);
      const detail = `${result.records} records, ${formatBytes(result.bytesIn)} in, ${formatBytes(result.bytesOut)} out`;
      stream.write(`${result.key}: ${result.status}, ${detail}${result.error === undefined ? '' : `: ${result.error}`}\n`);
    },
    jobFinished(_result: TransformResult) {
      clearInterval(timer);
    },
  };
}
