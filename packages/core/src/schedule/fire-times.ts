import { ConfigError } from '../errors.js';
import { parseCron, ParsedCron } from './cron.js';
import { wallTimesAfter, wallTimesBefore } from './wall-times.js';
import { zoneClock } from './zone-clock.js';

/**
 * A cron expression read in a time zone. `ScheduleRecord`s fit as they are; `name` only makes
 * error messages clearer. A `ParsedCron` may stand in for the string (its own zone then applies).
 */
export interface CronSource {
  cron: string | ParsedCron;
  /** IANA zone; default `'UTC'`. */
  timezone?: string;
  name?: string;
}

/** An instant as a `Date` or epoch milliseconds. */
export type Instant = Date | number;

/** @internal */
export function resolveCron(source: CronSource): ParsedCron {
  if (source.cron instanceof ParsedCron) return source.cron;
  return parseCron(source.cron, source.timezone ?? 'UTC', source.name);
}

/** @internal */
export function toEpoch(value: Instant, what: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new ConfigError(`Invalid ${what}: ${String(value)}`);
  return Math.floor(ms);
}

function toLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!(limit >= 0) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
    throw new ConfigError(`limit must be a whole number >= 0, got ${limit}`);
  }
  return limit;
}

/** @internal Fire instants in `(after, until]`, ascending, at most `limit`. */
export function firesAfter(cron: ParsedCron, after: number, until: number, limit: number): number[] {
  const out: number[] = [];
  if (limit <= 0 || until <= after) return out;
  const clock = zoneClock(cron.timezone);
  let last = Number.NEGATIVE_INFINITY;
  for (const wall of wallTimesAfter(cron, clock.wallOf(after))) {
    const instant = clock.instantOf(wall);
    // Wall times repeated after `after` (it fell in a fall-back hour) and times collapsed onto
    // the end of a spring-forward gap map to instants already passed or already returned.
    if (instant <= after || instant === last) continue;
    if (instant > until) break;
    out.push(instant);
    last = instant;
    if (out.length >= limit) break;
  }
  return out;
}

/** @internal Fire instants in `[since, before)`, descending (most recent first), at most `limit`. */
export function firesBefore(cron: ParsedCron, before: number, since: number, limit: number): number[] {
  const out: number[] = [];
  if (limit <= 0 || before <= since) return out;
  const clock = zoneClock(cron.timezone);
  // An instant before `before` may show a wall time up to the largest nearby offset past it
  // (the first pass of a fall-back hour), so start from the highest wall time that could matter.
  const probe = before - 1;
  const maxOffset = Math.max(clock.offsetAt(probe - 86_400_000), clock.offsetAt(probe), clock.offsetAt(probe + 86_400_000));
  let last = Number.POSITIVE_INFINITY;
  for (const wall of wallTimesBefore(cron, probe + maxOffset + 1)) {
    const instant = clock.instantOf(wall);
    if (instant >= before || instant === last) continue;
    if (instant < since) break;
    out.push(instant);
    last = instant;
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Fire instants of a schedule after `after` (exclusive) up to `until` (inclusive), ascending.
 *
 * DST follows the IANA data (through Intl): a local time skipped by spring-forward fires once, at the
 * first instant after the gap (02:30 on the New York spring-forward day fires at 03:00 EDT); a
 * local time repeated by fall-back fires once, at its first occurrence. Several skipped times
 * collapsing onto the same instant fire once.
 *
 * `limit` defaults to 1 without `until`, to no limit with it. Returns fewer (or none) when the
 * expression stops matching.
 *
 * @example
 * nextFireTimes({ cron: '30 2 * * *', timezone: 'America/New_York', after: new Date('2026-03-08T00:00:00Z') })
 * // [2026-03-08T07:00:00.000Z] (03:00 EDT: 02:30 does not exist that day)
 */
export function nextFireTimes(params: CronSource & { after: Instant; until?: Instant; limit?: number }): Date[] {
  const cron = resolveCron(params);
  const after = toEpoch(params.after, 'after');
  const until = params.until === undefined ? Number.POSITIVE_INFINITY : toEpoch(params.until, 'until');
  const limit = toLimit(params.limit, params.until === undefined ? 1 : Number.POSITIVE_INFINITY);
  return firesAfter(cron, after, until, limit).map((t) => new Date(t));
}

/**
 * Fire instants before `before` (exclusive) back to `since` (inclusive, default: no bound),
 * most recent first, at most `limit` (default 1). Same DST rules as {@link nextFireTimes}.
 *
 * @example
 * previousFireTimes({ cron: '0 * * * *', before: new Date('2026-01-01T10:30:00Z'), limit: 2 })
 * // [2026-01-01T10:00:00.000Z, 2026-01-01T09:00:00.000Z]
 */
export function previousFireTimes(params: CronSource & { before: Instant; since?: Instant; limit?: number }): Date[] {
  const cron = resolveCron(params);
  const before = toEpoch(params.before, 'before');
  const since = params.since === undefined ? Number.NEGATIVE_INFINITY : toEpoch(params.since, 'since');
  return firesBefore(cron, before, since, toLimit(params.limit, 1)).map((t) => new Date(t));
}

/**
 * The first fire instant strictly after `after`, or null when the expression never fires again.
 * @example nextFireTime({ cron: '@daily', timezone: 'Europe/Berlin' }, Date.UTC(2026, 0, 1, 12)) // 2026-01-01T23:00:00.000Z
 */
export function nextFireTime(source: CronSource, after: Instant): Date | null {
  return nextFireTimes({ ...source, after, limit: 1 })[0] ?? null;
}
