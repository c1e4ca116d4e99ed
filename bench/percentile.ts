/** The q-quantile (0–1) of ascending `sorted` values, by nearest rank; NaN when there are none. */
export const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
