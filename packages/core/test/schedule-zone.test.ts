import { DateTime, IANAZone, Settings } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { assertTimeZone, parseCron } from '../src/schedule/cron.js';
import { describeFireTime } from '../src/schedule/describe.js';
import { nextFireTimes, previousFireTimes } from '../src/schedule/fire-times.js';
import { isTimeZone, ZoneClock, zoneOffset } from '../src/schedule/zone-clock.js';

/**
 * Time zones without luxon: offsets come from Intl.DateTimeFormat (src/schedule/zone-clock.ts).
 * luxon, which Mainspring used before, stays a dev dependency as the reference.
 */

const ZONES = Intl.supportedValuesOf('timeZone');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Instants from 1900 to 2100, denser around now, plus the hours around this year's transitions. */
function sampleInstants(): number[] {
  const out: number[] = [];
  for (let year = 1900; year <= 2100; year += 7) out.push(Date.UTC(year, (year * 5) % 12, 1 + (year % 28), year % 24, 17, 29));
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 9 * DAY + 7 * HOUR) out.push(t);
  return out;
}

describe('zone offsets', () => {
  it(`match luxon for all ${ZONES.length} zones the runtime knows, 1900-2100`, () => {
    const instants = sampleInstants();
    const problems: string[] = [];
    for (const zone of ZONES) {
      const reference = IANAZone.create(zone);
      for (const t of instants) {
        const ours = zoneOffset(zone, t);
        const theirs = Math.round(reference.offset(t) * 60_000);
        if (ours !== theirs) problems.push(`${zone} at ${new Date(t).toISOString()}: ${ours} vs ${theirs}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keep sub-minute offsets (local mean time) and work before the year 100', () => {
    // Monrovia ran on -00:44:30 until 1972.
    expect(zoneOffset('Africa/Monrovia', Date.UTC(1960, 0, 1))).toBe(-(44 * 60_000 + 30_000));
    const year50 = new Date(0);
    year50.setUTCFullYear(50, 5, 1);
    expect(zoneOffset('America/New_York', year50.getTime())).toBe(Math.round(IANAZone.create('America/New_York').offset(year50.getTime()) * 60_000));
  });

  it('read the clock in whole seconds, whatever the milliseconds', () => {
    const t = Date.UTC(2026, 2, 8, 7, 0, 0); // the New York spring-forward instant
    expect(zoneOffset('America/New_York', t - 1)).toBe(-5 * HOUR);
    expect(zoneOffset('America/New_York', t)).toBe(-4 * HOUR);
    expect(zoneOffset('America/New_York', t + 999)).toBe(-4 * HOUR);
  });
});

describe('ZoneClock', () => {
  const zones = ['America/New_York', 'Europe/Berlin', 'Europe/Dublin', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Tehran', 'Pacific/Chatham', 'Africa/Casablanca'];

  it.each(zones)('%s: finds each wall time at its first occurrence, or just after a gap', (zone) => {
    const clock = new ZoneClock(zone);
    const problems: string[] = [];
    // Every 20 minutes of wall time through 2026: covers each transition of the year.
    const start = Date.UTC(2026, 0, 1);
    for (let wall = start; wall < Date.UTC(2027, 0, 1); wall += 20 * 60_000) {
      const instant = clock.instantOf(wall);
      const shown = clock.wallOf(instant);
      if (shown === wall) {
        // First occurrence: no earlier instant within a day shows the same wall time.
        for (const back of [HOUR / 2, HOUR, 2 * HOUR]) {
          if (clock.wallOf(instant - back) === wall) problems.push(`${new Date(wall).toISOString()} is a second occurrence`);
        }
      } else if (!(shown > wall && clock.wallOf(instant - 1) < wall)) {
        problems.push(`${new Date(wall).toISOString()} -> ${new Date(instant).toISOString()} shows ${new Date(shown).toISOString()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('jumps across Samoa skipping 30 December 2011 and across far-apart instants', () => {
    const clock = new ZoneClock('Pacific/Apia');
    // The whole of 2011-12-30 was skipped: -10:00 became +14:00 at local midnight.
    expect(clock.instantOf(Date.UTC(2011, 11, 30, 12))).toBe(Date.UTC(2011, 11, 30, 10));
    expect(clock.instantOf(Date.UTC(2011, 11, 31, 0))).toBe(Date.UTC(2011, 11, 30, 10));
    expect(clock.instantOf(Date.UTC(2011, 11, 29, 23))).toBe(Date.UTC(2011, 11, 30, 9));
    expect(clock.wallOf(Date.UTC(2030, 0, 1))).toBe(Date.UTC(2030, 0, 1, 13));
    expect(clock.wallOf(Date.UTC(1990, 0, 1))).toBe(Date.UTC(1989, 11, 31, 13));
  });
});

describe('fire times across unusual transitions', () => {
  const local = (zone: string, dates: Date[]) => dates.map((d) => describeFireTime(d, zone).local.replace(/\.000/, ''));

  it('a seconds field inside a skipped hour collapses onto the end of the gap once', () => {
    expect(local('America/New_York', nextFireTimes({ cron: '*/20 30 2 * * *', timezone: 'America/New_York', after: Date.UTC(2026, 2, 7, 12), limit: 4 }))).toEqual([
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:30:00-04:00',
      '2026-03-09T02:30:20-04:00',
      '2026-03-09T02:30:40-04:00',
    ]);
  });

  it('a seconds field inside a repeated hour fires in its first pass only', () => {
    expect(local('Europe/Berlin', nextFireTimes({ cron: '0,30 30 2 * * *', timezone: 'Europe/Berlin', after: Date.UTC(2026, 9, 24, 12), limit: 3 }))).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:30:30+02:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('midnight skipped in Santiago fires at 01:00, and a repeated 23:30 fires once', () => {
    expect(local('America/Santiago', nextFireTimes({ cron: '0 0 * * *', timezone: 'America/Santiago', after: Date.UTC(2026, 8, 5, 12), limit: 2 }))).toEqual([
      '2026-09-06T01:00:00-03:00',
      '2026-09-07T00:00:00-03:00',
    ]);
    expect(local('America/Santiago', nextFireTimes({ cron: '30 23 * * *', timezone: 'America/Santiago', after: Date.UTC(2026, 3, 4, 12), limit: 2 }))).toEqual([
      '2026-04-04T23:30:00-03:00',
      '2026-04-05T23:30:00-04:00',
    ]);
  });

  it('a day Samoa skipped fires once, at the first instant after it', () => {
    const after = Date.UTC(2011, 11, 29, 0); // 28 December, 14:00 local
    expect(local('Pacific/Apia', nextFireTimes({ cron: '0 12 * * *', timezone: 'Pacific/Apia', after, limit: 3 }))).toEqual([
      '2011-12-29T12:00:00-10:00',
      '2011-12-31T00:00:00+14:00', // the 30th's noon, which never came
      '2011-12-31T12:00:00+14:00',
    ]);
    // The 30th's midnight stands for the same instant as the 31st's: one fire.
    expect(local('Pacific/Apia', nextFireTimes({ cron: '0 0 * * *', timezone: 'Pacific/Apia', after, limit: 3 }))).toEqual([
      '2011-12-29T00:00:00-10:00',
      '2011-12-31T00:00:00+14:00',
      '2012-01-01T00:00:00+14:00',
    ]);
    const back = previousFireTimes({ cron: '0 12 * * *', timezone: 'Pacific/Apia', before: Date.UTC(2011, 11, 31, 0), limit: 3 });
    expect(local('Pacific/Apia', back)).toEqual(['2011-12-31T12:00:00+14:00', '2011-12-31T00:00:00+14:00', '2011-12-29T12:00:00-10:00']);
  });
});

describe('describeFireTime', () => {
  afterEach(() => {
    Settings.defaultLocale = 'en-US';
  });

  it('matches luxon (en-US) for a spread of zones and instants', () => {
    Settings.defaultLocale = 'en-US';
    const zones = ['UTC', 'Etc/UTC', 'Europe/London', 'America/New_York', 'America/St_Johns', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Etc/GMT+12', 'America/Sao_Paulo', 'Europe/Dublin'];
    const problems: string[] = [];
    for (const zone of zones) {
      for (const t of sampleInstants().filter((x) => x > Date.UTC(1970, 0, 1))) {
        const ours = describeFireTime(t, zone);
        const reference = DateTime.fromMillis(t, { zone });
        const theirs = { utc: new Date(t).toISOString(), local: reference.toISO(), timezone: zone, zoneAbbreviation: reference.toFormat('ZZZZ') };
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) problems.push(`${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('zone names', () => {
  it.each(['UTC', 'utc', 'GMT', 'Etc/UTC', 'Etc/GMT+5', 'Etc/GMT-14', 'Europe/Berlin', 'europe/berlin', 'America/Argentina/Buenos_Aires', 'EST5EDT', 'Zulu'])('accepts %s', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
    expect(() => assertTimeZone(zone)).not.toThrow();
  });

  it.each(['', ' ', '+05:30', '-03:00', '+0530', '05:30', 'UTC+3', 'GMT+5', 'Mars/Olympus_Mons', 'Europe/Berlin ', 'local'])('rejects %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
    expect(() => assertTimeZone(zone, 'nightly')).toThrow(ConfigError);
  });

  it('rejects what is not a string', () => {
    expect(isTimeZone(undefined)).toBe(false);
    expect(isTimeZone(5)).toBe(false);
  });

  it('handles UTC without Intl, which costs megabytes of ICU data on first use', () => {
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      for (const zone of ['UTC', 'Etc/UTC', 'gmt']) {
        const cron = parseCron('*/5 * * * *', zone);
        nextFireTimes({ cron, after: Date.UTC(2026, 0, 1), limit: 100 });
        previousFireTimes({ cron, before: Date.UTC(2026, 0, 1), limit: 100 });
        expect(describeFireTime(Date.UTC(2026, 0, 1), zone).zoneAbbreviation).toBe('UTC');
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
