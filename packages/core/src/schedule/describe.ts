import { DateTime } from 'luxon';
import { assertTimeZone } from './cron.js';
import { nextFireTime, toEpoch, type CronSource, type Instant } from './fire-times.js';

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
  const local = DateTime.fromMillis(ms, { zone: timezone });
  return {
    utc: new Date(ms).toISOString(),
    local: local.toISO() as string,
    timezone,
    zoneAbbreviation: local.toFormat('ZZZZ'),
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
