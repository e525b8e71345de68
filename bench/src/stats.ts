/** Median of the numbers (mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of the samples; NaN for none. */
export function percentile(values: number[], p: number): number {
  const xs = [...values].sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * xs.length);
  return xs[Math.min(xs.length - 1, Math.max(0, rank - 1))];
}

/** Rounds for display and JSON: keeps 3 significant decimals below 10, fewer above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : 3;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Median of each numeric field over several runs; non-numeric fields come from the first run. */
export function medianRecord<T extends Record<string, unknown>>(runs: T[]): T {
  const out: Record<string, unknown> = { ...runs[0] };
  for (const key of Object.keys(runs[0] ?? {})) {
    const nums = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    if (nums.length === runs.length) out[key] = round(median(nums));
    else if (runs.every((r) => typeof r[key] === 'boolean')) out[key] = runs.some((r) => r[key] === true);
  }
  return out as T;
}
