import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextFireTimes, previousFireTimes } from '../src/schedule/fire-times.js';

/** Fires shown on the zone's clock with the offset, so a repeated hour is unambiguous. */
function local(timezone: string, dates: Date[]): string[] {
  return dates.map((d) => DateTime.fromJSDate(d, { zone: timezone }).toFormat('yyyy-MM-dd HH:mm ZZ'));
}

function fires(cron: string, timezone: string, after: string, limit: number): string[] {
  return local(timezone, nextFireTimes({ cron, timezone, after: new Date(after), limit }));
}

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';
const KOLKATA = 'Asia/Kolkata';

describe('America/New_York', () => {
  describe('spring forward, 2026-03-08 02:00 EST -> 03:00 EDT', () => {
    it('a daily time inside the gap fires once, at the first instant after it', () => {
      const dates = nextFireTimes({ cron: '30 2 * * *', timezone: NY, after: new Date('2026-03-07T12:00:00Z'), limit: 3 });
      expect(dates.map((d) => d.toISOString())).toEqual([
        '2026-03-08T07:00:00.000Z',
        '2026-03-09T06:30:00.000Z',
        '2026-03-10T06:30:00.000Z',
      ]);
      expect(local(NY, dates)).toEqual(['2026-03-08 03:00 -04:00', '2026-03-09 02:30 -04:00', '2026-03-10 02:30 -04:00']);
    });

    it('the first and last skipped minutes also land on 03:00', () => {
      expect(fires('0 2 * * *', NY, '2026-03-08T00:00:00Z', 1)).toEqual(['2026-03-08 03:00 -04:00']);
      expect(fires('59 2 * * *', NY, '2026-03-08T00:00:00Z', 1)).toEqual(['2026-03-08 03:00 -04:00']);
    });

    it('skipped times that collapse onto a real one fire once', () => {
      // 02:00, 02:30 and 03:00 all mean 03:00 EDT that day; 03:30 is its own instant.
      expect(fires('0,30 2,3 * * *', NY, '2026-03-08T05:00:00Z', 3)).toEqual([
        '2026-03-08 03:00 -04:00',
        '2026-03-08 03:30 -04:00',
        '2026-03-09 02:00 -04:00',
      ]);
    });

    it('every 15 minutes runs across the gap without duplicates', () => {
      expect(fires('*/15 * * * *', NY, '2026-03-08T06:30:00Z', 6)).toEqual([
        '2026-03-08 01:45 -05:00',
        '2026-03-08 03:00 -04:00',
        '2026-03-08 03:15 -04:00',
        '2026-03-08 03:30 -04:00',
        '2026-03-08 03:45 -04:00',
        '2026-03-08 04:00 -04:00',
      ]);
    });

    it('hourly skips the missing hour', () => {
      expect(fires('0 * * * *', NY, '2026-03-08T04:30:00Z', 5)).toEqual([
        '2026-03-08 00:00 -05:00',
        '2026-03-08 01:00 -05:00',
        '2026-03-08 03:00 -04:00',
        '2026-03-08 04:00 -04:00',
        '2026-03-08 05:00 -04:00',
      ]);
    });
  });

  describe('fall back, 2026-11-01 02:00 EDT -> 01:00 EST', () => {
    it('a daily time inside the repeated hour fires once, at its first occurrence', () => {
      const dates = nextFireTimes({ cron: '30 1 * * *', timezone: NY, after: new Date('2026-10-31T12:00:00Z'), limit: 3 });
      expect(dates.map((d) => d.toISOString())).toEqual([
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
        '2026-11-03T06:30:00.000Z',
      ]);
      expect(local(NY, dates)).toEqual(['2026-11-01 01:30 -04:00', '2026-11-02 01:30 -05:00', '2026-11-03 01:30 -05:00']);
    });

    it('every 15 minutes does not run the repeated hour twice', () => {
      expect(fires('*/15 * * * *', NY, '2026-11-01T05:00:00Z', 8)).toEqual([
        '2026-11-01 01:15 -04:00',
        '2026-11-01 01:30 -04:00',
        '2026-11-01 01:45 -04:00',
        '2026-11-01 02:00 -05:00',
        '2026-11-01 02:15 -05:00',
        '2026-11-01 02:30 -05:00',
        '2026-11-01 02:45 -05:00',
        '2026-11-01 03:00 -05:00',
      ]);
    });

    it('hourly fires 01:00 once', () => {
      expect(fires('0 * * * *', NY, '2026-11-01T03:30:00Z', 5)).toEqual([
        '2026-11-01 00:00 -04:00',
        '2026-11-01 01:00 -04:00',
        '2026-11-01 02:00 -05:00',
        '2026-11-01 03:00 -05:00',
        '2026-11-01 04:00 -05:00',
      ]);
    });

    it('starting inside the second pass of the hour, nothing in it fires again', () => {
      // 06:20Z is 01:20 EST, the second 01:20 of the night; 01:30 and 01:45 already fired as EDT.
      expect(fires('*/15 * * * *', NY, '2026-11-01T06:20:00Z', 2)).toEqual(['2026-11-01 02:00 -05:00', '2026-11-01 02:15 -05:00']);
      expect(fires('*/15 * * * *', NY, '2026-11-01T05:20:00Z', 3)).toEqual([
        '2026-11-01 01:30 -04:00',
        '2026-11-01 01:45 -04:00',
        '2026-11-01 02:00 -05:00',
      ]);
    });

    it('walking back from the second pass finds the first-pass fires', () => {
      const dates = previousFireTimes({ cron: '*/15 * * * *', timezone: NY, before: new Date('2026-11-01T07:20:00Z'), limit: 5 });
      expect(local(NY, dates)).toEqual([
        '2026-11-01 02:15 -05:00',
        '2026-11-01 02:00 -05:00',
        '2026-11-01 01:45 -04:00',
        '2026-11-01 01:30 -04:00',
        '2026-11-01 01:15 -04:00',
      ]);
      const fromInside = previousFireTimes({ cron: '*/15 * * * *', timezone: NY, before: new Date('2026-11-01T06:20:00Z'), limit: 2 });
      expect(local(NY, fromInside)).toEqual(['2026-11-01 01:45 -04:00', '2026-11-01 01:30 -04:00']);
    });
  });
});

describe('Europe/Berlin', () => {
  it('spring forward (2026-03-29 02:00 CET -> 03:00 CEST): 02:30 fires once at 03:00', () => {
    expect(fires('30 2 * * *', BERLIN, '2026-03-28T12:00:00Z', 3)).toEqual([
      '2026-03-29 03:00 +02:00',
      '2026-03-30 02:30 +02:00',
      '2026-03-31 02:30 +02:00',
    ]);
    expect(fires('*/15 * * * *', BERLIN, '2026-03-29T00:30:00Z', 4)).toEqual([
      '2026-03-29 01:45 +01:00',
      '2026-03-29 03:00 +02:00',
      '2026-03-29 03:15 +02:00',
      '2026-03-29 03:30 +02:00',
    ]);
    expect(fires('0 * * * *', BERLIN, '2026-03-28T23:30:00Z', 3)).toEqual([
      '2026-03-29 01:00 +01:00',
      '2026-03-29 03:00 +02:00',
      '2026-03-29 04:00 +02:00',
    ]);
  });

  it('fall back (2026-10-25 03:00 CEST -> 02:00 CET): 02:30 fires once, in summer time', () => {
    expect(fires('30 2 * * *', BERLIN, '2026-10-24T12:00:00Z', 3)).toEqual([
      '2026-10-25 02:30 +02:00',
      '2026-10-26 02:30 +01:00',
      '2026-10-27 02:30 +01:00',
    ]);
    expect(fires('*/15 * * * *', BERLIN, '2026-10-25T00:00:00Z', 6)).toEqual([
      '2026-10-25 02:15 +02:00',
      '2026-10-25 02:30 +02:00',
      '2026-10-25 02:45 +02:00',
      '2026-10-25 03:00 +01:00',
      '2026-10-25 03:15 +01:00',
      '2026-10-25 03:30 +01:00',
    ]);
    expect(fires('0 * * * *', BERLIN, '2026-10-24T23:30:00Z', 3)).toEqual([
      '2026-10-25 02:00 +02:00',
      '2026-10-25 03:00 +01:00',
      '2026-10-25 04:00 +01:00',
    ]);
  });
});

describe('Australia/Sydney (southern hemisphere)', () => {
  it('spring forward in October (2026-10-04 02:00 AEST -> 03:00 AEDT)', () => {
    const dates = nextFireTimes({ cron: '30 2 * * *', timezone: SYDNEY, after: new Date('2026-10-02T12:00:00Z'), limit: 3 });
    expect(dates.map((d) => d.toISOString())).toEqual([
      '2026-10-02T16:30:00.000Z',
      '2026-10-03T16:00:00.000Z',
      '2026-10-04T15:30:00.000Z',
    ]);
    expect(local(SYDNEY, dates)).toEqual(['2026-10-03 02:30 +10:00', '2026-10-04 03:00 +11:00', '2026-10-05 02:30 +11:00']);
    expect(fires('*/15 * * * *', SYDNEY, '2026-10-03T15:30:00Z', 4)).toEqual([
      '2026-10-04 01:45 +10:00',
      '2026-10-04 03:00 +11:00',
      '2026-10-04 03:15 +11:00',
      '2026-10-04 03:30 +11:00',
    ]);
    expect(fires('0 * * * *', SYDNEY, '2026-10-03T14:30:00Z', 3)).toEqual([
      '2026-10-04 01:00 +10:00',
      '2026-10-04 03:00 +11:00',
      '2026-10-04 04:00 +11:00',
    ]);
  });

  it('fall back in April (2026-04-05 03:00 AEDT -> 02:00 AEST)', () => {
    const dates = nextFireTimes({ cron: '30 2 * * *', timezone: SYDNEY, after: new Date('2026-04-03T12:00:00Z'), limit: 3 });
    expect(dates.map((d) => d.toISOString())).toEqual([
      '2026-04-03T15:30:00.000Z',
      '2026-04-04T15:30:00.000Z',
      '2026-04-05T16:30:00.000Z',
    ]);
    expect(local(SYDNEY, dates)).toEqual(['2026-04-04 02:30 +11:00', '2026-04-05 02:30 +11:00', '2026-04-06 02:30 +10:00']);
    expect(fires('*/15 * * * *', SYDNEY, '2026-04-04T15:00:00Z', 6)).toEqual([
      '2026-04-05 02:15 +11:00',
      '2026-04-05 02:30 +11:00',
      '2026-04-05 02:45 +11:00',
      '2026-04-05 03:00 +10:00',
      '2026-04-05 03:15 +10:00',
      '2026-04-05 03:30 +10:00',
    ]);
    expect(fires('0 * * * *', SYDNEY, '2026-04-04T14:30:00Z', 3)).toEqual([
      '2026-04-05 02:00 +11:00',
      '2026-04-05 03:00 +10:00',
      '2026-04-05 04:00 +10:00',
    ]);
  });
});

describe('Asia/Kolkata (no DST, +05:30)', () => {
  it('08:00 IST is 02:30 UTC every day', () => {
    const dates = nextFireTimes({ cron: '0 8 * * *', timezone: KOLKATA, after: new Date('2026-03-07T00:00:00Z'), limit: 3 });
    expect(dates.map((d) => d.toISOString())).toEqual([
      '2026-03-07T02:30:00.000Z',
      '2026-03-08T02:30:00.000Z',
      '2026-03-09T02:30:00.000Z',
    ]);
  });

  it('a local time just after midnight falls on the previous UTC day', () => {
    const dates = nextFireTimes({ cron: '30 2 * * *', timezone: KOLKATA, after: new Date('2026-03-08T00:00:00Z') });
    expect(dates.map((d) => d.toISOString())).toEqual(['2026-03-08T21:00:00.000Z']);
  });

  it('hourly fires at half past in UTC, and every 15 minutes is exactly 15 minutes all year', () => {
    expect(nextFireTimes({ cron: '0 * * * *', timezone: KOLKATA, after: new Date('2026-11-01T05:00:00Z'), limit: 2 }).map((d) => d.toISOString())).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
    const year = nextFireTimes({
      cron: '*/15 * * * *',
      timezone: KOLKATA,
      after: new Date('2025-12-31T18:29:00Z'),
      until: new Date('2026-12-31T18:29:00Z'),
    });
    expect(year).toHaveLength(365 * 96);
    for (let i = 1; i < year.length; i++) expect(year[i]!.getTime() - year[i - 1]!.getTime()).toBe(900_000);
  });
});

describe('whole-year properties', () => {
  const zones = [NY, BERLIN, SYDNEY, KOLKATA, 'Australia/Lord_Howe'];
  // Intl (not luxon) shows the clock here: an independent check, and fast enough for a year of fires.
  const formats = new Map<string, Intl.DateTimeFormat>();
  const wall = (timezone: string, d: Date): string => {
    let format = formats.get(timezone);
    if (!format) {
      const options = { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;
      format = new Intl.DateTimeFormat('sv-SE', options);
      formats.set(timezone, format);
    }
    return format.format(d);
  };
  const yearOf = (timezone: string) => ({
    after: DateTime.fromObject({ year: 2026, month: 1, day: 1 }, { zone: timezone }).toJSDate().getTime() - 1,
    until: DateTime.fromObject({ year: 2027, month: 1, day: 1 }, { zone: timezone }).toJSDate().getTime() - 1,
  });

  it.each(zones)('%s: a daily schedule at any time fires exactly once per local date', (timezone) => {
    const { after, until } = yearOf(timezone);
    const problems: string[] = []; // collected, so 35,000 fires cost one assertion
    for (let hour = 0; hour < 24; hour++) {
      for (const minute of [0, 15, 30, 45]) {
        const cron = `${minute} ${hour} * * *`;
        const dates = nextFireTimes({ cron, timezone, after, until });
        const days = new Set(dates.map((d) => wall(timezone, d).slice(0, 10)));
        if (dates.length !== 365 || days.size !== 365) problems.push(`${cron}: ${dates.length} fires on ${days.size} dates`);
        const want = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        for (const d of dates) {
          const shown = wall(timezone, d).slice(11);
          // Only a skipped time may move, and only forward to the instant the clocks jumped.
          if (shown !== want && !(shown > want && wall(timezone, new Date(d.getTime() - 1)).slice(11) < want)) {
            problems.push(`${cron}: fired at ${d.toISOString()} (${shown})`);
          }
          // A repeated time fires at its first occurrence: no earlier instant shows the same clock.
          for (const back of [30, 60]) {
            if (wall(timezone, new Date(d.getTime() - back * 60_000)) === wall(timezone, d)) {
              problems.push(`${cron}: ${d.toISOString()} is a second occurrence`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(zones)('%s: every 15 minutes never repeats a local time and loses only collapsed gap times', (timezone) => {
    const { after, until } = yearOf(timezone);
    const dates = nextFireTimes({ cron: '*/15 * * * *', timezone, after, until });
    for (let i = 1; i < dates.length; i++) expect(dates[i]!.getTime()).toBeGreaterThan(dates[i - 1]!.getTime());
    const shown = dates.map((d) => wall(timezone, d));
    expect(new Set(shown).size).toBe(dates.length);
    // A one-hour gap swallows four quarter hours onto the 03:00 that exists anyway; Lord Howe's
    // half-hour gap swallows two onto 02:30. A repeated hour adds nothing.
    const lost = { [KOLKATA]: 0, 'Australia/Lord_Howe': 2 }[timezone] ?? 4;
    expect(dates).toHaveLength(365 * 96 - lost);
  });

  it.each([
    [NY, '2026-03-08', '2026-11-01'],
    [BERLIN, '2026-03-29', '2026-10-25'],
    [SYDNEY, '2026-10-04', '2026-04-05'],
  ])('%s: a per-minute schedule fires once per local minute on both transition days', (timezone, spring, fall) => {
    for (const [date, expected] of [
      [spring, 1380],
      [fall, 1440],
    ] as const) {
      const start = DateTime.fromISO(date, { zone: timezone });
      const dates = nextFireTimes({
        cron: '* * * * *',
        timezone,
        after: start.toJSDate().getTime() - 1,
        until: start.plus({ days: 1 }).toJSDate().getTime() - 1,
      });
      expect(dates).toHaveLength(expected);
      expect(new Set(dates.map((d) => wall(timezone, d))).size).toBe(expected);
    }
  });

  it('Australia/Lord_Howe: a half-hour gap moves 02:15 to 02:30', () => {
    expect(fires('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-04 02:30 +11:00',
      '2026-10-05 02:15 +11:00',
    ]);
  });
});
