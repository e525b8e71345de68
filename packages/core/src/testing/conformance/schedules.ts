import { vitest } from './vitest.js';
import type { ScheduleInput } from '../../store/contract.js';
import { ms, newJob, useStore, type StoreConformanceOptions } from './harness.js';

/** Stored schedules and the compare-and-set that makes each fire happen once. */
export function scheduleTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('schedules', () => {
    const h = useStore(options);

    function schedule(overrides: Partial<ScheduleInput> = {}): ScheduleInput {
      return {
        name: 'conf-every-minute',
        cron: '* * * * *',
        timezone: 'Europe/Berlin',
        job: 'conf-job',
        payload: { kind: 'digest' },
        catchUp: 'none',
        tenant: null,
        enabled: true,
        source: 'code',
        nextFireAt: new Date(h.t0 + 60_000),
        ...overrides,
      };
    }

    /** The job a fire at `at` enqueues, keyed by schedule and instant as core does. */
    function fireJob(at: number) {
      return newJob({ key: `conf-every-minute@${at}`, runAt: new Date(at), meta: { schedule: 'conf-every-minute', fireTime: at } });
    }

    it('creates, reads and lists schedules', async () => {
      const created = await h.store.upsertSchedule({
        schedule: schedule({ catchUp: { max: 3, withinMs: 3_600_000 }, tenant: 'acme' }),
        now: h.t0,
      });
      expect(created).toMatchObject({
        name: 'conf-every-minute',
        cron: '* * * * *',
        timezone: 'Europe/Berlin',
        job: 'conf-job',
        payload: { kind: 'digest' },
        catchUp: { max: 3, withinMs: 3_600_000 },
        tenant: 'acme',
        enabled: true,
        source: 'code',
        lastFireAt: null,
      });
      expect(ms(created.nextFireAt)).toBe(h.t0 + 60_000);
      expect(ms(created.createdAt)).toBe(h.t0);
      expect(ms(created.updatedAt)).toBe(h.t0);
      expect(await h.store.getSchedule({ name: 'conf-every-minute' })).toEqual(created);
      expect(await h.store.getSchedule({ name: 'nope' })).toBeNull();

      await h.store.upsertSchedule({
        schedule: schedule({ name: 'conf-dynamic', source: 'dynamic', nextFireAt: null, payload: null, catchUp: 'latest' }),
        now: h.t0,
      });
      const all = await h.store.listSchedules({});
      expect(all.map((s) => s.name).sort()).toEqual(['conf-dynamic', 'conf-every-minute']);
      expect((await h.store.listSchedules({ source: 'dynamic' })).map((s) => [s.name, s.nextFireAt, s.catchUp])).toEqual([
        ['conf-dynamic', null, 'latest'],
      ]);
      expect((await h.store.listSchedules({ source: 'code' })).map((s) => s.name)).toEqual(['conf-every-minute']);
    });

    it('replaces a schedule by name, keeping createdAt and lastFireAt unless given', async () => {
      await h.store.upsertSchedule({ schedule: schedule({ lastFireAt: new Date(h.t0 - 60_000) }), now: h.t0 });
      const changed = await h.store.upsertSchedule({
        schedule: schedule({ cron: '*/5 * * * *', timezone: 'UTC', enabled: false, nextFireAt: new Date(h.t0 + 300_000) }),
        now: h.t0 + 1_000,
      });
      expect(changed).toMatchObject({ cron: '*/5 * * * *', timezone: 'UTC', enabled: false });
      expect(ms(changed.createdAt)).toBe(h.t0);
      expect(ms(changed.updatedAt)).toBe(h.t0 + 1_000);
      expect(ms(changed.lastFireAt)).toBe(h.t0 - 60_000);
      expect(ms(changed.nextFireAt)).toBe(h.t0 + 300_000);

      const reset = await h.store.upsertSchedule({ schedule: schedule({ lastFireAt: null }), now: h.t0 + 2_000 });
      expect(reset.lastFireAt).toBeNull();
      expect(ms(reset.createdAt)).toBe(h.t0);
      expect(await h.store.listSchedules({})).toHaveLength(1);
    });

    it('keeps the lastFireAt a fire recorded when code re-syncs the schedule', async () => {
      const at = h.t0 + 60_000;
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at) }), now: h.t0 });
      await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: new Date(at),
        nextFireAt: new Date(at + 60_000),
        lastFireAt: new Date(at),
        jobs: [],
        now: at,
      });
      const synced = await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at + 60_000) }), now: at + 1 });
      expect(ms(synced.lastFireAt)).toBe(at);
      expect(ms(synced.createdAt)).toBe(h.t0);
    });

    it('removes a schedule', async () => {
      await h.store.upsertSchedule({ schedule: schedule(), now: h.t0 });
      expect(await h.store.removeSchedule({ name: 'conf-every-minute' })).toBe(true);
      expect(await h.store.getSchedule({ name: 'conf-every-minute' })).toBeNull();
      expect(await h.store.removeSchedule({ name: 'conf-every-minute' })).toBe(false);
      expect(await h.store.listSchedules({})).toEqual([]);
    });

    it('fires when nextFireAt is still the expected value: advances it and inserts the jobs', async () => {
      const at = h.t0 + 60_000;
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at) }), now: h.t0 });
      const out = await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: new Date(at),
        nextFireAt: new Date(at + 60_000),
        lastFireAt: new Date(at),
        jobs: [fireJob(at)],
        now: at,
      });
      expect(out.fired).toBe(true);
      expect(out.jobs).toHaveLength(1);
      expect(out.jobs[0]).toMatchObject({ deduplicated: false, job: { state: 'pending', key: `conf-every-minute@${at}` } });
      expect(out.jobs[0].job.meta).toEqual({ schedule: 'conf-every-minute', fireTime: at });
      const stored = await h.store.getSchedule({ name: 'conf-every-minute' });
      expect(ms(stored?.nextFireAt)).toBe(at + 60_000);
      expect(ms(stored?.lastFireAt)).toBe(at);
      expect((await h.store.get({ id: out.jobs[0].job.id }))?.state).toBe('pending');
    });

    it('does nothing when nextFireAt moved on, or the schedule is missing', async () => {
      const at = h.t0 + 60_000;
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at) }), now: h.t0 });
      const stale = await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: new Date(at - 60_000),
        nextFireAt: new Date(at),
        lastFireAt: new Date(at - 60_000),
        jobs: [fireJob(at - 60_000)],
        now: at,
      });
      expect(stale).toEqual({ fired: false, jobs: [] });
      expect(ms((await h.store.getSchedule({ name: 'conf-every-minute' }))?.nextFireAt)).toBe(at);
      expect((await h.store.counts({})).pending).toBe(0);

      const missing = await h.store.fireSchedule({
        name: 'conf-nope',
        expectedNextFireAt: null,
        nextFireAt: new Date(at),
        lastFireAt: null,
        jobs: [fireJob(at)],
        now: at,
      });
      expect(missing.fired).toBe(false);
      expect((await h.store.counts({})).pending).toBe(0);
    });

    it('treats a null nextFireAt as a value to compare against', async () => {
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: null }), now: h.t0 });
      const wrong = await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: new Date(h.t0),
        nextFireAt: new Date(h.t0 + 60_000),
        lastFireAt: null,
        jobs: [],
        now: h.t0,
      });
      expect(wrong.fired).toBe(false);
      const right = await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: null,
        nextFireAt: new Date(h.t0 + 60_000),
        lastFireAt: null,
        jobs: [],
        now: h.t0,
      });
      expect(right).toEqual({ fired: true, jobs: [] });
      expect(ms((await h.store.getSchedule({ name: 'conf-every-minute' }))?.nextFireAt)).toBe(h.t0 + 60_000);
    });

    it('lets exactly one of many concurrent fires with the same expected value through', async () => {
      const at = h.t0 + 60_000;
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at) }), now: h.t0 });
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          h.store.fireSchedule({
            name: 'conf-every-minute',
            expectedNextFireAt: new Date(at),
            nextFireAt: new Date(at + 60_000),
            lastFireAt: new Date(at),
            jobs: [fireJob(at)],
            now: at,
          }),
        ),
      );
      expect(results.filter((r) => r.fired)).toHaveLength(1);
      expect(results.filter((r) => !r.fired).every((r) => r.jobs.length === 0)).toBe(true);
      expect((await h.store.counts({})).pending).toBe(1);
    });

    it('dedupes fired jobs by key against jobs already enqueued', async () => {
      const at = h.t0 + 60_000;
      // Run Now, or another path, already enqueued this fire time.
      const [existing] = await h.store.insert({ jobs: [fireJob(at)], now: h.t0 });
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(at) }), now: h.t0 });
      const out = await h.store.fireSchedule({
        name: 'conf-every-minute',
        expectedNextFireAt: new Date(at),
        nextFireAt: new Date(at + 60_000),
        lastFireAt: new Date(at),
        jobs: [fireJob(at), fireJob(at + 60_000)],
        now: at,
      });
      expect(out.fired).toBe(true);
      expect(out.jobs.map((r) => r.deduplicated)).toEqual([true, false]);
      expect(out.jobs[0].job.id).toBe(existing.job.id);
      expect((await h.store.counts({})).pending).toBe(2);
    });

    it('fires a per-minute schedule once per minute over an hour with 5 racing firers', async () => {
      const start = h.t0 + 60_000;
      await h.store.upsertSchedule({ schedule: schedule({ nextFireAt: new Date(start) }), now: h.t0 });
      let fired = 0;
      for (let minute = 0; minute < 60; minute++) {
        const at = start + minute * 60_000;
        const results = await Promise.all(
          Array.from({ length: 5 }, async () => {
            // Each firer reads the schedule itself, as separate processes would.
            const current = await h.store.getSchedule({ name: 'conf-every-minute' });
            const next = current?.nextFireAt ?? null;
            if (next === null || next.getTime() > at) return false;
            const out = await h.store.fireSchedule({
              name: 'conf-every-minute',
              expectedNextFireAt: next,
              nextFireAt: new Date(next.getTime() + 60_000),
              lastFireAt: next,
              jobs: [fireJob(next.getTime())],
              now: at,
            });
            return out.fired;
          }),
        );
        fired += results.filter(Boolean).length;
      }
      expect(fired).toBe(60);
      expect((await h.store.counts({})).pending).toBe(60);
    });
  });
}
