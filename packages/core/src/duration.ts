/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'2s'`, `'5m'`, `'1h'`, `'1d'`. */
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;
type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/;

/**
 * Milliseconds in a duration.
 * @example toMs('2s') // 2000
 * @throws TypeError for anything that is not a finite, non-negative duration.
 */
export function toMs(value: Duration, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`Invalid ${what}: ${value} (expected milliseconds >= 0)`);
    return value;
  }
  const match = typeof value === 'string' ? PATTERN.exec(value) : null;
  if (!match) throw new TypeError(`Invalid ${what}: ${JSON.stringify(value)} (expected e.g. 500, '500ms', '2s', '5m', '1h', '1d')`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit]);
}
