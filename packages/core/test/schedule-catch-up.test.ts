import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { DEFAULT_CATCH_UP_GRACE_MS, dueFires, normalizeCatchUp, type DueFiresResult } from '../src/schedule/catch-up.js';
import { fireKey } from '../src/schedule/fire-key.js';
import { nextFireTimes } from '../src/schedule/fire-times.js';
import type { CatchUpPolicy } from '../src/store/contract.js';

const t = (iso: string) => new Date(iso);
const HOURLY = { name: 'hourly', cron: '0 * * * *', timezone: 'UTC' };

/** The result with dates as ISO strings and fires as `iso` or `iso (backfill)`. */
function view(r: DueFiresResult) {
  return {
    due: r.due,
    fires: r.fires.map((f) => f.fireAt.toISOString() + (f.backfill ? ' (backfill)' : '')),
    nextFireAt: r.nextFireAt?.toISOString() ?? null,
    lastFireAt: r.lastFireAt?.toISOString() ?? null,
    skipped: r.skipped && { first: r.skipped.first.toISOString(), last: r.skipped.last.toISOString() },
  };
}

describe('normalizeCatchUp', () => {
  it('passes the string policies through and defaults to none', () => {
    expect(normalizeCatchUp('none')).toBe('none');
    expect(normalizeCatchUp('latest')).toBe('latest');
    expect(normalizeCatchUp(undefined)).toBe('none');
  });

  it('turns within into milliseconds and accepts the stored form again', () => {
    expect(normalizeCatchUp({ max: 3, within: '1d' })).toEqual({ max: 3, withinMs: 86_400_000 });
    expect(normalizeCatchUp({ max: 2, within: 90_000 })).toEqual({ max: 2, withinMs: 90_000 });
    expect(normalizeCatchUp({ max: 0, withinMs: 5000 })).toEqual({ max: 0, withinMs: 5000 });
  });

  it.each([
    ['all', "expected 'none', 'latest'"],
    [{ max: -1, within: '1h' }, 'max must be'],
    [{ max: 1.5, within: '1h' }, 'max must be'],
    [{ max: 3 }, 'within is required'],
    [{ max: 3, within: 'soon' }, 'catchUp.within'],
    [{ max: 3, withinMs: -5 }, 'within is required'],
    [null, "expected 'none', 'latest'"],
  ])('rejects %j', (input, fragment) => {
    expect(() => normalizeCatchUp(input as never, 'digest')).toThrow(ConfigError);
    expect(() => normalizeCatchUp(input as never, 'digest')).toThrow(/schedule "digest"/);
    expect(() => normalizeCatchUp(input as never, 'digest')).toThrow(fragment);
  });
});

describe('dueFires', () => {
  it('does nothing before the stored next fire', () => {
    const r = dueFires({ ...HOURLY, catchUp: 'none', nextFireAt: t('2026-01-01T11:00:00Z'), now: t('2026-01-01T10:59:59Z') });
    expect(view(r)).toEqual({ due: false, fires: [], nextFireAt: '2026-01-01T11:00:00.000Z', lastFireAt: null, skipped: null });
  });

  it('starts a new schedule after now without firing', () => {
    const r = dueFires({ ...HOURLY, catchUp: 'latest', now: t('2026-01-01T10:00:00Z') });
    expect(view(r)).toEqual({ due: true, fires: [], nextFireAt: '2026-01-01T11:00:00.000Z', lastFireAt: null, skipped: null });
  });

  it.each<[string, CatchUpPolicy]>([
    ['none', 'none'],
    ['latest', 'latest'],
    ['max', { max: 5, withinMs: 86_400_000 }],
  ])('fires on time under %s, at the instant and a little late', (_label, catchUp) => {
    for (const now of ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:02.000Z', '2026-01-01T10:01:00.000Z']) {
      const r = dueFires({ ...HOURLY, catchUp, nextFireAt: t('2026-01-01T10:00:00Z'), lastFireAt: t('2026-01-01T09:00:00Z'), now: t(now) });
      expect(view(r)).toEqual({
        due: true,
        fires: ['2026-01-01T10:00:00.000Z'],
        nextFireAt: '2026-01-01T11:00:00.000Z',
        lastFireAt: '2026-01-01T10:00:00.000Z',
        skipped: null,
      });
    }
  });

  it('counts a fire more than the grace period late as missed', () => {
    const base = { ...HOURLY, nextFireAt: t('2026-01-01T10:00:00Z'), lastFireAt: t('2026-01-01T09:00:00Z') };
    const late = new Date(t('2026-01-01T10:00:00Z').getTime() + DEFAULT_CATCH_UP_GRACE_MS + 1);
    expect(view(dueFires({ ...base, catchUp: 'none', now: late }))).toEqual({
      due: true,
      fires: [],
      nextFireAt: '2026-01-01T11:00:00.000Z',
      lastFireAt: '2026-01-01T09:00:00.000Z',
      skipped: { first: '2026-01-01T10:00:00.000Z', last: '2026-01-01T10:00:00.000Z' },
    });
    expect(view(dueFires({ ...base, catchUp: 'latest', now: late })).fires).toEqual(['2026-01-01T10:00:00.000Z (backfill)']);
    // A custom grace stretches "on time".
    expect(view(dueFires({ ...base, catchUp: 'none', now: t('2026-01-01T10:04:00Z'), graceMs: 300_000 })).fires).toEqual([
      '2026-01-01T10:00:00.000Z',
    ]);
  });

  describe('after five and a half hours down (fires 10:00 to 15:00 missed, now 15:30)', () => {
    const down = { ...HOURLY, nextFireAt: t('2026-01-01T10:00:00Z'), lastFireAt: t('2026-01-01T09:00:00Z'), now: t('2026-01-01T15:30:00Z') };

    it("'none' skips them all and moves on", () => {
      expect(view(dueFires({ ...down, catchUp: 'none' }))).toEqual({
        due: true,
        fires: [],
        nextFireAt: '2026-01-01T16:00:00.000Z',
        lastFireAt: '2026-01-01T09:00:00.000Z',
        skipped: { first: '2026-01-01T10:00:00.000Z', last: '2026-01-01T15:00:00.000Z' },
      });
    });

    it("'latest' runs the most recent one once, as a backfill", () => {
      expect(view(dueFires({ ...down, catchUp: 'latest' }))).toEqual({
        due: true,
        fires: ['2026-01-01T15:00:00.000Z (backfill)'],
        nextFireAt: '2026-01-01T16:00:00.000Z',
        lastFireAt: '2026-01-01T15:00:00.000Z',
        skipped: { first: '2026-01-01T10:00:00.000Z', last: '2026-01-01T14:00:00.000Z' },
      });
    });

    it('{ max, within } runs the most recent max within the window, oldest first', () => {
      expect(view(dueFires({ ...down, catchUp: { max: 3, within: '4h' } }))).toEqual({
        due: true,
        fires: ['2026-01-01T13:00:00.000Z (backfill)', '2026-01-01T14:00:00.000Z (backfill)', '2026-01-01T15:00:00.000Z (backfill)'],
        nextFireAt: '2026-01-01T16:00:00.000Z',
        lastFireAt: '2026-01-01T15:00:00.000Z',
        skipped: { first: '2026-01-01T10:00:00.000Z', last: '2026-01-01T12:00:00.000Z' },
      });
    });

    it('{ max, within } is limited by the window when it is the tighter bound', () => {
      const r = view(dueFires({ ...down, catchUp: { max: 10, within: '2h' } }));
      expect(r.fires).toEqual(['2026-01-01T14:00:00.000Z (backfill)', '2026-01-01T15:00:00.000Z (backfill)']);
      expect(r.skipped).toEqual({ first: '2026-01-01T10:00:00.000Z', last: '2026-01-01T13:00:00.000Z' });
    });

    it('{ max: 0 } behaves like none', () => {
      expect(view(dueFires({ ...down, catchUp: { max: 0, within: '1d' } }))).toEqual(view(dueFires({ ...down, catchUp: 'none' })));
    });
  });

  it('keeps the on-time fire and backfills earlier ones when the outage ends just after a fire', () => {
    const down = { ...HOURLY, nextFireAt: t('2026-01-01T10:00:00Z'), now: t('2026-01-01T15:00:20Z') };
    expect(view(dueFires({ ...down, catchUp: 'none' })).fires).toEqual(['2026-01-01T15:00:00.000Z']);
    // The on-time run covers the missed period, so 'latest' adds nothing.
    expect(view(dueFires({ ...down, catchUp: 'latest' })).fires).toEqual(['2026-01-01T15:00:00.000Z']);
    expect(view(dueFires({ ...down, catchUp: { max: 2, within: '1d' } })).fires).toEqual([
      '2026-01-01T13:00:00.000Z (backfill)',
      '2026-01-01T14:00:00.000Z (backfill)',
      '2026-01-01T15:00:00.000Z',
    ]);
  });

  it('works from lastFireAt when nextFireAt was never stored', () => {
    const r = dueFires({ ...HOURLY, catchUp: { max: 5, within: '1d' }, lastFireAt: t('2026-01-01T10:00:00Z'), now: t('2026-01-01T12:00:10Z') });
    expect(view(r).fires).toEqual(['2026-01-01T11:00:00.000Z (backfill)', '2026-01-01T12:00:00.000Z']);
  });

  it("'latest' across a spring-forward day catches up the moved 02:30 at 03:00 EDT", () => {
    const r = dueFires({
      name: 'nightly',
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      catchUp: 'latest',
      nextFireAt: t('2026-03-06T07:30:00Z'),
      now: t('2026-03-08T12:00:00Z'),
    });
    expect(view(r)).toEqual({
      due: true,
      fires: ['2026-03-08T07:00:00.000Z (backfill)'],
      nextFireAt: '2026-03-09T06:30:00.000Z',
      lastFireAt: '2026-03-08T07:00:00.000Z',
      skipped: { first: '2026-03-06T07:30:00.000Z', last: '2026-03-07T07:30:00.000Z' },
    });
  });

  it('handles months of downtime of a per-minute schedule without walking every missed minute', () => {
    const base = { name: 'pulse', cron: '* * * * *', timezone: 'Europe/Berlin', nextFireAt: t('2026-01-01T00:00:00Z'), now: t('2026-04-01T00:00:30Z') };
    expect(view(dueFires({ ...base, catchUp: { max: 3, within: '365d' } }))).toEqual({
      due: true,
      // 00:00 is 30s old (on time); 23:59 is 90s old, so it is the newest missed fire.
      fires: [
        '2026-03-31T23:57:00.000Z (backfill)',
        '2026-03-31T23:58:00.000Z (backfill)',
        '2026-03-31T23:59:00.000Z (backfill)',
        '2026-04-01T00:00:00.000Z',
      ],
      nextFireAt: '2026-04-01T00:01:00.000Z',
      lastFireAt: '2026-04-01T00:00:00.000Z',
      skipped: { first: '2026-01-01T00:00:00.000Z', last: '2026-03-31T23:56:00.000Z' },
    });
    // Listing them all is still linear. 90 days of real minutes all fire, even across Berlin's
    // spring-forward (it removes a local hour, not a real one).
    const all = nextFireTimes({ cron: '* * * * *', timezone: 'Europe/Berlin', after: t('2025-12-31T23:59:59Z'), until: t('2026-03-31T23:59:59Z') });
    expect(all).toHaveLength(90 * 1440);
  });

  it('rejects a bad policy, clock or grace', () => {
    expect(() => dueFires({ ...HOURLY, catchUp: 'sometimes' as never, now: 0 })).toThrow(ConfigError);
    expect(() => dueFires({ ...HOURLY, catchUp: 'none', now: Number.NaN })).toThrow(ConfigError);
    expect(() => dueFires({ ...HOURLY, catchUp: 'none', now: 0, graceMs: -1 })).toThrow(ConfigError);
  });
});

describe('exactly once across racing runners (pure simulation of the store compare-and-set)', () => {
  /** A tiny deterministic PRNG so the interleaving is random-looking but repeatable. */
  function prng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s * 1_664_525 + 1_013_904_223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /**
   * Runners tick at jittered times; each reads the schedule, computes `dueFires`, then (after a
   * random delay during which others may act) applies it with compare-and-set on `nextFireAt`,
   * inserting jobs deduplicated by `fireKey`, exactly as `Store.fireSchedule` promises.
   */
  function simulate(schedule: { name: string; cron: string; timezone: string }, from: number, to: number, runners: number, seed: number) {
    const random = prng(seed);
    const state = {
      nextFireAt: nextFireTimes({ ...schedule, after: from - 1 })[0]!.getTime() as number | null,
      lastFireAt: null as number | null,
    };
    const jobs = new Map<string, { fireAt: number; backfill: boolean }>();
    let casLosses = 0;
    type Event = { at: number; runner: number; pending?: { expected: number | null; result: DueFiresResult } };
    const events: Event[] = Array.from({ length: runners }, (_, runner) => ({ at: from + Math.floor(random() * 10_000), runner }));
    while (events.length > 0) {
      events.sort((a, b) => a.at - b.at || a.runner - b.runner);
      const event = events.shift()!;
      if (event.pending) {
        const { expected, result } = event.pending;
        if (state.nextFireAt !== expected) casLosses++;
        else {
          state.nextFireAt = result.nextFireAt?.getTime() ?? null;
          state.lastFireAt = result.lastFireAt?.getTime() ?? null;
          for (const fire of result.fires) {
            const key = fireKey(schedule.name, fire.fireAt);
            if (!jobs.has(key)) jobs.set(key, { fireAt: fire.fireAt.getTime(), backfill: fire.backfill });
          }
        }
        const next = event.at + 1000 + Math.floor(random() * 20_000);
        if (next <= to) events.push({ at: next, runner: event.runner });
        continue;
      }
      const expected = state.nextFireAt;
      const result = dueFires({ ...schedule, catchUp: 'none', nextFireAt: expected, lastFireAt: state.lastFireAt, now: event.at });
      if (result.due) events.push({ at: event.at + Math.floor(random() * 3000), runner: event.runner, pending: { expected, result } });
      else {
        const next = event.at + 1000 + Math.floor(random() * 20_000);
        if (next <= to) events.push({ at: next, runner: event.runner });
      }
    }
    return { jobs: [...jobs.values()].sort((a, b) => a.fireAt - b.fireAt), casLosses };
  }

  it('five runners firing a per-minute schedule over a simulated day create exactly 1,440 jobs', () => {
    const from = Date.UTC(2026, 5, 1);
    const to = from + 86_400_000 - 1;
    const { jobs, casLosses } = simulate({ name: 'per-minute', cron: '* * * * *', timezone: 'UTC' }, from, to + 60_000, 5, 42);
    const day = jobs.filter((j) => j.fireAt >= from && j.fireAt <= to);
    expect(day).toHaveLength(1440);
    expect(day.every((j, i) => j.fireAt === from + i * 60_000)).toBe(true);
    expect(day.some((j) => j.backfill)).toBe(false);
    expect(casLosses).toBeGreaterThan(0); // the runners really did race
  });

  it('on the New York spring-forward day the same race yields one job per existing local minute (1,380)', () => {
    const from = Date.parse('2026-03-08T05:00:00Z'); // local midnight, EST
    const to = Date.parse('2026-03-09T04:00:00Z') - 1; // local midnight next day, EDT
    const { jobs } = simulate({ name: 'ny-minute', cron: '* * * * *', timezone: 'America/New_York' }, from, to + 60_000, 5, 7);
    const day = jobs.filter((j) => j.fireAt >= from && j.fireAt <= to);
    expect(day).toHaveLength(1380);
    expect(new Set(day.map((j) => j.fireAt)).size).toBe(1380);
    expect(day.some((j) => j.backfill)).toBe(false);
  });
});
