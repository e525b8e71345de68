import { assertTimeZone } from './cron.js';
import { nextFireTime, toEpoch, type CronSource, type Instant } from './fire-times.js';
import { UTC_ZONES, zoneOffset } from './zone-clock.js';

/** Formats giving a zone's short name (`EDT`, `GMT+5:30`), one per zone. */
const nameFormats = new Map<string, Intl.DateTimeFormat>();

function zoneAbbreviation(timezone: string, ms: number): string {
  const utcName = UTC_ZONES.get(timezone.toLowerCase());
  if (utcName !== undefined) return utcName;
  let format = nameFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' });
    if (nameFormats.size >= 1000) nameFormats.clear();
    nameFormats.set(timezone, format);
  }
  return format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? timezone;
}

/** `+05:30`, `-04:00` (whole minutes, toward zero, as ISO 8601 offsets are written). */
function isoOffset(offsetMs: number): string {
  const minutes = Math.trunc(Math.abs(offsetMs) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The zone names that mean plain UTC, written with `Z` and called `UTC`. */
const isUtcName = (timezone: string): boolean => /^(utc|gmt)$/i.test(timezone);

/** An instant as the dashboard shows it: in UTC and on the schedule's own clock. */
export interface FireTimeDescription {
  /** ISO 8601 in UTC, e.g. `'2026-03-08T07:00:00.000Z'`. */
  utc: string;
  /** ISO 8601 with the zone's offset at that instant, e.g. `'2026-03-08T03:00:00.000-04:00'`. */
  local: string;
  timezone: string;
  /** The zone's abbreviation or offset name at that instant, e.g. `'EDT'` (depends on the runtime's Intl data). */
  zoneAbbreviation: string;
}

/**
 * Describe an instant in UTC and in a zone.
 * @example describeFireTime(Date.UTC(2026, 0, 1, 2, 30), 'Asia/Kolkata').local // '2026-01-01T08:00:00.000+05:30'
 */
export function describeFireTime(instant: Instant, timezone = 'UTC'): FireTimeDescription {
  assertTimeZone(timezone);
  const ms = toEpoch(instant, 'instant');
  const utc = isUtcName(timezone);
  const offset = utc ? 0 : zoneOffset(timezone, ms);
  // The wall time written as if it were UTC, then the zone's offset in place of the Z.
  const wall = new Date(ms + offset).toISOString().slice(0, -1);
  return {
    utc: new Date(ms).toISOString(),
    local: utc ? `${wall}Z` : `${wall}${isoOffset(offset)}`,
    timezone,
    zoneAbbreviation: zoneAbbreviation(timezone, ms),
  };
}

/**
 * The next fire of a schedule for the dashboard: its stored `nextFireAt` when set, else the first
 * fire after `now` (default: the local clock). Null when the expression never fires again.
 *
 * @example
 * describeNext({ cron: '30 2 * * *', timezone: 'America/New_York' }, Date.UTC(2026, 2, 8))
 * // { utc: '2026-03-08T07:00:00.000Z', local: '2026-03-08T03:00:00.000-04:00', timezone: 'America/New_York', zoneAbbreviation: 'EDT' }
 */
export function describeNext(
  schedule: CronSource & { nextFireAt?: Instant | null },
  now: Instant = Date.now(),
): FireTimeDescription | null {
  const timezone = typeof schedule.cron === 'string' ? (schedule.timezone ?? 'UTC') : schedule.cron.timezone;
  const next = schedule.nextFireAt ?? nextFireTime(schedule, now);
  return next === null ? null : describeFireTime(next, timezone);
}
