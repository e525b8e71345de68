import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError, createMainspring, defineJob, defineSchedule, memoryStore, silentLogger, ValidationError, type Mainspring,
} from '../src/index.js';
import { waitFor } from './helpers.js';

const MINUTE = 60_000;
const report = defineJob({ name: 'report', schema: z.object({ kind: z.string() }).nullable(), handler: () => 'ok' });

async function allJobs(ms: Mainspring) {
  const jobs = [];
  for (let cursor: string | null = null; ; ) {
    const page = await ms.listJobs({ limit: 1000, cursor });
    jobs.push(...page.jobs);
    if (!page.nextCursor) return jobs;
    cursor = page.nextCursor;
  }
}

describe('schedules', () => {
  it('fires a per-minute schedule exactly 1,440 times over a simulated day with 5 runners on one store', async () => {
    const store = memoryStore();
    const everyMinute = defineSchedule({ name: 'every-minute', cron: '* * * * *', job: report, payload: { kind: 'minute' } });
    const runners = Array.from({ length: 5 }, () => createMainspring({ store, jobs: [report], schedules: [everyMinute], logger: silentLogger }));
    const start = Date.UTC(2026, 5, 1, 0, 0, 0);
    await Promise.all(runners.map((ms) => ms.schedules.sync({ now: start })));
    // Each runner ticks on its own uneven clock, all racing within each step.
    const end = start + 24 * 60 * MINUTE;
    for (let now = start + 1; ; now = Math.min(now + 17_000, end)) {
      await Promise.all(runners.map((ms, i) => ms.schedules.fireDue({ now: Math.min(now + i * 13, end) })));
      if (now === end) break;
    }
    const jobs = await allJobs(runners[0]!);
    expect(jobs).toHaveLength(1440);
    const fireTimes = new Set(jobs.map((j) => j.meta?.fireTime));
    expect(fireTimes.size).toBe(1440);
    expect(jobs.every((j) => j.meta?.schedule === 'every-minute' && j.meta?.backfill === false)).toBe(true);
    expect(fireTimes.has(new Date(start + MINUTE).toISOString())).toBe(true);
    expect(fireTimes.has(new Date(start + 24 * 60 * MINUTE).toISOString())).toBe(true);
  });

  it('catches up after downtime per policy and marks backfilled jobs', async () => {
    const store = memoryStore();
    const start = Date.UTC(2026, 5, 1, 0, 0, 0);
    const hourly = (name: string, catchUp: 'none' | 'latest' | { max: number; within: string }) =>
      defineSchedule({ name, cron: '0 * * * *', job: report, payload: { kind: name }, catchUp: catchUp as never });
    const ms = createMainspring({
      store,
      jobs: [report],
      schedules: [hourly('none', 'none'), hourly('latest', 'latest'), hourly('window', { max: 2, within: '3h' })],
      logger: silentLogger,
    });
    await ms.schedules.sync({ now: start });
    await ms.schedules.fireDue({ now: start + 60 * MINUTE + 1_000 }); // the 01:00 fire, on time
    // Down from 01:00:01 until 06:30: missed 02:00, 03:00, 04:00, 05:00, 06:00.
    await ms.schedules.fireDue({ now: start + 6.5 * 60 * MINUTE });
    const byName = (name: string) => allJobs(ms).then((jobs) => jobs.filter((j) => j.meta?.schedule === name).reverse());
    const none = await byName('none');
    expect(none.map((j) => j.meta?.fireTime)).toEqual(['2026-06-01T01:00:00.000Z']);
    const latest = await byName('latest');
    expect(latest.map((j) => [j.meta?.fireTime, j.meta?.backfill])).toEqual([
      ['2026-06-01T01:00:00.000Z', false],
      ['2026-06-01T06:00:00.000Z', true],
    ]);
    const windowed = await byName('window');
    expect(windowed.map((j) => [j.meta?.fireTime, j.meta?.backfill])).toEqual([
      ['2026-06-01T01:00:00.000Z', false],
      ['2026-06-01T05:00:00.000Z', true],
      ['2026-06-01T06:00:00.000Z', true],
    ]);
    // Every policy resumes at the next fire after now.
    for (const info of await ms.schedules.list()) expect(info.nextFireAt?.toISOString()).toBe('2026-06-01T07:00:00.000Z');
  });

  it('daily at 02:30 New York fires once on the spring-forward day, just after the gap', async () => {
    const job = defineJob({ name: 'ny', handler: () => null });
    const ny = defineSchedule({ name: 'ny', cron: '30 2 * * *', timezone: 'America/New_York', job });
    const ms = createMainspring({ store: memoryStore(), jobs: [job], schedules: [ny], logger: silentLogger });
    const start = Date.UTC(2026, 2, 7, 12); // Sat 7 Mar 2026; clocks spring forward on Sun 8 Mar at 02:00
    await ms.schedules.sync({ now: start });
    for (let now = start; now <= start + 3 * 24 * 60 * MINUTE; now += 5 * MINUTE) await ms.schedules.fireDue({ now });
    const fires = (await allJobs(ms)).map((j) => j.meta?.fireTime).reverse();
    expect(fires).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT, the first instant after the skipped 02:30
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('stored schedules: one per recipient in their own zone, validated, enabled and disabled, with history', async () => {
    const digest = defineJob({ name: 'digest', schema: z.object({ userId: z.string() }), handler: () => 'sent' });
    const ms = createMainspring({ store: memoryStore(), jobs: [digest], logger: silentLogger });
    await expect(ms.schedules.upsert({ name: 'bad', cron: '61 * * * *', job: digest, payload: { userId: 'u' } })).rejects.toBeInstanceOf(ConfigError);
    await expect(ms.schedules.upsert({ name: 'bad', cron: '0 8 * * *', timezone: 'Mars/Olympus', job: digest, payload: { userId: 'u' } })).rejects.toThrow(/Mars\/Olympus/);
    await expect(ms.schedules.upsert({ name: 'bad', cron: '0 8 * * *', job: 'nope', payload: {} })).rejects.toThrow(/unknown job/);
    await expect(ms.schedules.upsert({ name: 'bad', cron: '0 8 * * *', job: digest, payload: { userId: 1 } })).rejects.toBeInstanceOf(ValidationError);
    expect(await ms.schedules.list()).toEqual([]);

    const kolkata = await ms.schedules.upsert({ name: 'digest:u1', cron: '0 8 * * *', timezone: 'Asia/Kolkata', job: digest, payload: { userId: 'u1' }, tenant: 'acme' });
    await ms.schedules.upsert({ name: 'digest:u2', cron: '0 8 * * 1', timezone: 'America/New_York', job: digest, payload: { userId: 'u2' } });
    expect(kolkata.next!.local).toMatch(/T08:00:00\.000\+05:30$/);
    expect(kolkata.next!.utc).toMatch(/T02:30:00\.000Z$/);
    expect((await ms.schedules.list()).map((s) => s.name).sort()).toEqual(['digest:u1', 'digest:u2']);

    const firstFire = kolkata.nextFireAt!.getTime();
    await ms.schedules.fireDue({ now: firstFire + 1_000 });
    const details = (await ms.schedules.get('digest:u1'))!;
    expect(details.lastFireAt?.getTime()).toBe(firstFire);
    expect(details.nextFireAt?.getTime()).toBe(firstFire + 24 * 60 * MINUTE);
    expect(details.recentRuns).toHaveLength(1);
    expect(details.recentRuns[0]).toMatchObject({ state: 'pending', backfill: false, manual: false });
    const job = (await ms.getJob(details.recentRuns[0]!.jobId))!;
    expect(job).toMatchObject({ tenant: 'acme', payload: { userId: 'u1' } });

    const disabled = await ms.schedules.disable('digest:u1');
    expect(disabled.enabled).toBe(false);
    expect(await ms.schedules.fireDue({ now: firstFire + 24 * 60 * MINUTE + 1_000 })).toEqual([]);
    expect((await ms.schedules.enable('digest:u1')).enabled).toBe(true);
    expect(await ms.schedules.remove('digest:u2')).toBe(true);
    expect(await ms.schedules.get('digest:u2')).toBeNull();
  });

  it('runNow enqueues once for a double click', async () => {
    const nightly = defineSchedule({ name: 'nightly', cron: '@daily', job: report, payload: { kind: 'nightly' } });
    const ms = createMainspring({ store: memoryStore(), jobs: [report], schedules: [nightly], logger: silentLogger });
    await ms.schedules.sync();
    const [a, b] = await Promise.all([ms.schedules.runNow('nightly'), ms.schedules.runNow('nightly')]);
    expect(a.id).toBe(b.id);
    expect([a.deduplicated, b.deduplicated].sort()).toEqual([false, true]);
    expect(a.job.meta).toMatchObject({ schedule: 'nightly', manual: true });
    await expect(ms.schedules.runNow('missing')).rejects.toThrow(/No schedule named "missing"/);
  });

  it('code schedules sync: added, changed and removed as the code changes', async () => {
    const store = memoryStore();
    const v1 = createMainspring({
      store, jobs: [report], logger: silentLogger,
      schedules: [defineSchedule({ name: 'a', cron: '0 * * * *', job: report, payload: null }), defineSchedule({ name: 'b', cron: '0 0 * * *', job: report, payload: null })],
    });
    await v1.schedules.sync();
    expect((await v1.schedules.list({ source: 'code' })).map((s) => s.name).sort()).toEqual(['a', 'b']);
    const v2 = createMainspring({
      store, jobs: [report], logger: silentLogger,
      schedules: [defineSchedule({ name: 'a', cron: '*/5 * * * *', timezone: 'Europe/Berlin', job: report, payload: null })],
    });
    await v2.schedules.sync();
    const list = await v2.schedules.list({ source: 'code' });
    expect(list.map((s) => [s.name, s.cron, s.timezone])).toEqual([['a', '*/5 * * * *', 'Europe/Berlin']]);
    await expect(v2.schedules.remove('a')).rejects.toThrow(/declared in code/);
  });

  it('rejects bad schedule definitions at definition time', () => {
    expect(() => defineSchedule({ name: 'x', cron: 'every day', job: report })).toThrow(ConfigError);
    expect(() => defineSchedule({ name: 'x', cron: '0 8 * * *', timezone: 'Nowhere/City', job: report })).toThrow(/Nowhere\/City/);
    expect(() => defineSchedule({ name: 'x', cron: '0 8 * * *', job: report, catchUp: { max: 2 } as never })).toThrow(/within/);
    const other = defineJob({ name: 'other' });
    expect(() => createMainspring({ store: memoryStore(), jobs: [report], schedules: [defineSchedule({ name: 's', cron: '@hourly', job: other })] })).toThrow(/not in `jobs`/);
  });

  it('a started worker fires schedules by itself and runs their jobs', async () => {
    const ticks: string[] = [];
    const tick = defineJob({ name: 'tick', handler: (_p, ctx) => void ticks.push(String(ctx.job.meta?.fireTime)) });
    const everySecond = defineSchedule({ name: 'every-second', cron: '* * * * * *', job: tick });
    const ms = createMainspring({ store: memoryStore(), jobs: [tick], schedules: [everySecond], logger: silentLogger });
    const fired: Date[] = [];
    ms.on('schedule:fired', ({ fireTime }) => fired.push(fireTime));
    await ms.start({ scheduleInterval: 100 });
    try {
      await waitFor(() => ticks.length >= 2, 10_000, 'two scheduled runs');
    } finally {
      await ms.close();
    }
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(fired.length).toBeGreaterThanOrEqual(2);
  });
});
