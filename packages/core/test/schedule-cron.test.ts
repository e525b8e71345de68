import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { CRON_ALIASES, parseCron } from '../src/schedule/cron.js';
import { nextFireTimes, previousFireTimes } from '../src/schedule/fire-times.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

function expectConfigError(fn: () => unknown, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}

describe('parseCron', () => {
  it('reads five fields with seconds pinned to 0', () => {
    expect(parseCron('*/15 9-17 * * MON-FRI').normalized).toBe('0 */15 9-17 * * 1-5');
  });

  it('reads an optional leading seconds field', () => {
    const fires = nextFireTimes({ cron: '*/20 * * * * *', after: new Date('2026-01-01T00:00:00Z'), limit: 4 });
    expect(iso(fires)).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:01:20.000Z',
    ]);
  });

  it('honours seconds in a zone with a half-hour offset', () => {
    const fires = nextFireTimes({ cron: '30 0 8 * * *', timezone: 'Asia/Kolkata', after: new Date('2026-01-01T00:00:00Z') });
    expect(iso(fires)).toEqual(['2026-01-01T02:30:30.000Z']);
  });

  it.each(Object.entries(CRON_ALIASES))('expands %s to %s', (alias, fields) => {
    const after = new Date('2026-05-17T13:45:00Z');
    const viaAlias = nextFireTimes({ cron: alias, timezone: 'Europe/Berlin', after, limit: 3 });
    const viaFields = nextFireTimes({ cron: fields, timezone: 'Europe/Berlin', after, limit: 3 });
    expect(iso(viaAlias)).toEqual(iso(viaFields));
    expect(viaAlias).toHaveLength(3);
  });

  it('puts aliases where they belong', () => {
    const after = new Date('2026-05-17T13:45:00Z'); // a Sunday
    const first = (cron: string) => nextFireTimes({ cron, after })[0]!.toISOString();
    expect(first('@hourly')).toBe('2026-05-17T14:00:00.000Z');
    expect(first('@daily')).toBe('2026-05-18T00:00:00.000Z');
    expect(first('@midnight')).toBe('2026-05-18T00:00:00.000Z');
    expect(first('@weekly')).toBe('2026-05-24T00:00:00.000Z');
    expect(first('@monthly')).toBe('2026-06-01T00:00:00.000Z');
    expect(first('@yearly')).toBe('2027-01-01T00:00:00.000Z');
    expect(first('@annually')).toBe('2027-01-01T00:00:00.000Z');
    expect(first('@DAILY')).toBe('2026-05-18T00:00:00.000Z');
  });

  it('supports L, # and the classic day-of-month OR day-of-week rule', () => {
    const after = new Date('2026-01-01T00:00:00Z');
    const days = (cron: string, limit: number) =>
      nextFireTimes({ cron, after, limit }).map((d) => d.toISOString().slice(0, 10));
    expect(days('0 0 L * *', 3)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(days('0 0 * * 5#2', 2)).toEqual(['2026-01-09', '2026-02-13']);
    expect(days('0 0 1,15 * MON', 4)).toEqual(['2026-01-05', '2026-01-12', '2026-01-15', '2026-01-19']);
    expect(days('0 0 29 2 *', 2)).toEqual(['2028-02-29', '2032-02-29']);
  });

  it('accepts a parsed expression in place of the string, with its own zone', () => {
    const parsed = parseCron('0 8 * * *', 'Asia/Kolkata');
    const fires = nextFireTimes({ cron: parsed, timezone: 'UTC', after: new Date('2026-01-01T00:00:00Z') });
    expect(iso(fires)).toEqual(['2026-01-01T02:30:00.000Z']);
  });

  it('trims and caches the parsed form per expression and zone', () => {
    const a = parseCron('  0 8 * * *  ', 'Asia/Kolkata');
    expect(a.expression).toBe('0 8 * * *');
    expect(parseCron('0 8 * * *', 'Asia/Kolkata') === a).toBe(true);
    expect(parseCron('0 8 * * *', 'UTC') === a).toBe(false);
  });
});

describe('parseCron errors', () => {
  it('names the expression and the schedule for a bad field', () => {
    expectConfigError(() => parseCron('61 * * * *', 'UTC', 'digest'), '"61 * * * *"', 'schedule "digest"', '0-59');
  });

  it.each([
    ['', 'got 0'],
    ['* *', 'got 2'],
    ['* * * *', 'got 4'],
    ['* * * * * * *', 'got 7'],
    ['@reboot', 'unknown alias'],
    ['@every 5m', 'unknown alias'],
    ['H * * * *', 'hashed values'],
    ['0 0 30 2 *', 'Invalid cron expression'],
    ['*/0 * * * *', 'Invalid cron expression'],
    ['0 25 * * *', 'Invalid cron expression'],
    ['banana * * * *', 'Invalid cron expression'],
  ])('rejects %j', (expression, fragment) => {
    expectConfigError(() => parseCron(expression, 'UTC', 'x'), fragment, 'schedule "x"');
  });

  it('does not mistake THU for a hashed value', () => {
    expect(parseCron('0 9 * * MON-THU').normalized).toBe('0 0 9 * * 1-4');
  });

  it('rejects a zone the runtime does not know, naming it', () => {
    expectConfigError(() => parseCron('0 8 * * *', 'Mars/Olympus_Mons', 'digest'), '"Mars/Olympus_Mons"', 'schedule "digest"', 'IANA');
    expectConfigError(() => parseCron('0 8 * * *', ''), 'Unknown time zone');
    expectConfigError(() => parseCron('0 8 * * *', '+05:30'), 'Unknown time zone');
  });

  it('rejects a non-string expression', () => {
    expectConfigError(() => parseCron(42 as unknown as string, 'UTC', 'n'), 'must be a string', 'schedule "n"');
  });

  it('surfaces the same errors from the fire-time functions', () => {
    expectConfigError(() => nextFireTimes({ name: 'y', cron: '0 8 * * *', timezone: 'Nowhere/City', after: 0 }), 'Nowhere/City');
    expectConfigError(() => nextFireTimes({ cron: '0 8 * * *', after: Number.NaN }), 'Invalid after');
    expectConfigError(() => nextFireTimes({ cron: '0 8 * * *', after: 0, limit: -1 }), 'limit');
  });
});

describe('agreement with cron-parser where no clock changes', () => {
  // Away from DST transitions our wall-clock iteration must match cron-parser exactly.
  const expressions = [
    '* * * * *',
    '*/7 * * * *',
    '5,35 */3 * * *',
    '0 9-17 * * 1-5',
    '15 10 L * *',
    '0 0 * * 5L',
    '0 12 1,15 * 3',
    '0 6 ? JAN-MAR SUN',
    '*/13 */7 * * * *',
    '10-20/5 59 23 31 12 *',
    '0 0 * * 7',
    '0 0 1 * 5L',
    '0 0 * * 1,5L',
    '0 0 * 2 5#5',
    '0 0 L * 0',
    '30 4 1-7 * 1#1',
  ];
  it.each(expressions)('%s in UTC', (expression) => {
    const start = new Date('2025-12-30T22:10:05Z');
    // A fifth Friday in February comes about once in 28 years; cron-parser takes long to walk there.
    const count = expression.endsWith('5#5') ? 8 : 150;
    const theirs = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: start })
      .take(count)
      .map((d) => d.toDate().toISOString());
    expect(iso(nextFireTimes({ cron: expression, after: start, limit: count }))).toEqual(theirs);
  });

  it.each(expressions)('%s in America/New_York in winter', (expression) => {
    const start = new Date('2026-01-02T00:00:00Z');
    const until = new Date('2026-03-01T00:00:00Z');
    const theirs = CronExpressionParser.parse(expression, { tz: 'America/New_York', currentDate: start, endDate: until })
      .take(200)
      .map((d) => d.toDate().toISOString());
    expect(iso(nextFireTimes({ cron: expression, timezone: 'America/New_York', after: start, until, limit: 200 }))).toEqual(theirs);
  });

  it('walks backwards to the same instants it walks forwards', () => {
    const cron = '*/13 */7 * * * *';
    const after = new Date('2026-01-01T00:00:00Z');
    const forward = nextFireTimes({ cron, after, limit: 500 });
    const backward = previousFireTimes({ cron, before: new Date(forward[499]!.getTime() + 1), since: after.getTime() + 1, limit: 1000 });
    expect(iso(backward.reverse())).toEqual(iso(forward));
  });
});
