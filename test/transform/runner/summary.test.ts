import { formatBytes, formatSummary } from '../../../transform/runner/summary';
import { failureReason, type ObjectResult } from '../../../transform/runner/transform-result';

const object = (key: string, error?: string): ObjectResult => ({
  key,
  status: error === undefined ? 'Completed' : 'Failed',
  records: error === undefined ? 3 : 1,
  requests: 1,
  bytesIn: 2048,
  bytesOut: error === undefined ? 10 : 0,
  ...(error !== undefined && { error }),
});

describe('failureReason', () => {
  it('is undefined when nothing failed, else names the first failure and counts the rest', () => {
    expect(failureReason([object('a')])).toBeUndefined();
    expect(failureReason([object('a'), object('b', 'bad'), object('c', 'worse')])).toBe('2 objects failed. b: bad (and 1 more of 3 objects failed)');
  });

  it("keeps within the API's 1024 characters", () => {
    const reason = failureReason([object('a', 'x'.repeat(5000))])!;
    expect(reason).toHaveLength(1024);
    expect(reason.endsWith('…')).toBe(true);
  });
});

describe('formatSummary', () => {
  it('lists every object with its error, then the outcome and the settings', () => {
    const text = formatSummary({
      status: 'Failed',
      failureReason: '1 object failed. b.csv: bad',
      settings: { batchStrategy: 'MultiRecord', maxPayloadInMB: 6, maxConcurrentTransforms: 2 },
      objects: [object('a.csv'), object('b.csv', 'bad')],
      seconds: 2,
    });
    expect(text).toBe(
      [
        'object  status     records  requests       in   out',
        'a.csv   Completed        3         1  2.0 KiB  10 B',
        'b.csv   Failed           1         1  2.0 KiB   0 B',
        '    error: bad',
        '',
        'Failed: 1 of 2 objects transformed, 4 records in 2.0 s (2.0 records/s); BatchStrategy MultiRecord, MaxPayloadInMB 6, MaxConcurrentTransforms 2',
        'FailureReason: 1 object failed. b.csv: bad',
        '',
      ].join('\n'),
    );
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 GiB']);
  });
});
