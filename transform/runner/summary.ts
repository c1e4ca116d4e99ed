import type { ObjectResult, TransformResult } from './transform-result';

/** The end-of-job report: a line per input object, then the totals and the FailureReason. Pure text. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(count: number, seconds: number): string {
  return seconds > 0 ? (count / seconds).toFixed(count / seconds >= 100 ? 0 : 1) : '-';
}

const HEADERS = ['object', 'status', 'records', 'requests', 'in', 'out'];

function row(object: ObjectResult): string[] {
  return [object.key, object.status, String(object.records), String(object.requests), formatBytes(object.bytesIn), formatBytes(object.bytesOut)];
}

/** Aligned columns; each failed object's error on the line after it. */
export function formatSummary(result: TransformResult): string {
  const rows = [HEADERS, ...result.objects.map(row)];
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  const lines = [line(HEADERS)];
  for (const object of result.objects) {
    lines.push(line(row(object)));
    if (object.error !== undefined) lines.push(`    error: ${object.error}`);
  }
  const failed = result.objects.filter((object) => object.status === 'Failed').length;
  const records = result.objects.reduce((sum, object) => sum + object.records, 0);
  const { batchStrategy, maxPayloadInMB, maxConcurrentTransforms } = result.settings;
  lines.push(
    '',
    `${result.status}: ${result.objects.length - failed} of ${result.objects.length} objects transformed, ${records} records ` +
      `in ${result.seconds.toFixed(1)} s (${formatRate(records, result.seconds)} records/s); ` +
      `BatchStrategy ${batchStrategy}, MaxPayloadInMB ${maxPayloadInMB}, MaxConcurrentTransforms ${maxConcurrentTransforms}`,
  );
  if (result.failureReason !== undefined) lines.push(`FailureReason: ${result.failureReason}`);
  return `${lines.join('\n')}\n`;
}
