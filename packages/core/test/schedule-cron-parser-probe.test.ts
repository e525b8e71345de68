import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { nextFireTimes } from '../src/schedule/fire-times.js';

/**
 * What cron-parser 5.10.6 (Mainspring's parser until it got its own; now a dev dependency kept as
 * a reference) does with `tz` on DST days. It deviates from Mainspring's rules in the cases below,
 * which is why Mainspring always computed fire instants itself, on the wall clock.
 */
const theirs = (expression: string, tz: string, after: string, count: number): string[] =>
  CronExpressionParser.parse(expression, { tz, currentDate: new Date(after) })
    .take(count)
    .map((d) => d.toDate().toISOString());

const ours = (cron: string, timezone: string, after: string, limit: number): string[] =>
  nextFireTimes({ cron, timezone, after: new Date(after), limit }).map((d) => d.toISOString());

describe('cron-parser 5.10.6 on DST days (probe)', () => {
  it('moves a skipped 02:30 by the gap length (03:30 EDT), not to the end of the gap (03:00 EDT)', () => {
    expect(theirs('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 1)).toEqual(['2026-03-08T07:30:00.000Z']);
    expect(ours('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 1)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(theirs('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-29T01:30:00.000Z']);
    expect(ours('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('fires an hourly schedule twice in a repeated hour', () => {
    expect(theirs('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST, the same wall time again
      '2026-11-01T07:00:00.000Z',
    ]);
    expect(ours('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 2)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('runs every-15-minutes through the repeated hour twice', () => {
    const fires = theirs('*/15 * * * *', 'America/New_York', '2026-11-01T04:50:00Z', 9);
    expect(fires).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:15:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T05:45:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:15:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T06:45:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
    expect(ours('*/15 * * * *', 'America/New_York', '2026-11-01T04:50:00Z', 5)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:15:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T05:45:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('agrees with us on a daily time in a repeated hour and on every-15-minutes across a gap', () => {
    expect(theirs('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual(ours('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2));
    expect(theirs('*/15 * * * *', 'America/New_York', '2026-03-08T06:30:00Z', 6)).toEqual(
      ours('*/15 * * * *', 'America/New_York', '2026-03-08T06:30:00Z', 6),
    );
  });

  it('accepts expressions Mainspring rejects, so Mainspring checks them first', () => {
    expect(() => CronExpressionParser.parse('')).not.toThrow();
    expect(() => CronExpressionParser.parse('* *')).not.toThrow();
    expect(() => CronExpressionParser.parse('@midnight')).toThrow();
  });
});
