import { vitest } from './vitest.js';
import type { JobRecord, ListParams } from '../../store/contract.js';
import { claim, compareIds, insertJobs, newJob, useStore, type StoreConformanceOptions } from './harness.js';

/** list (filters, newest first, cursor pages) and counts per state. */
export function listAndCountsTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('list and counts', () => {
    const h = useStore(options);

    /** Follow cursors to the end, checking each page's size and order. */
    async function listAll(params: ListParams): Promise<JobRecord[]> {
      const out: JobRecord[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10_000; page++) {
        const res = await h.store.list({ ...params, cursor });
        expect(res.jobs.length).toBeLessThanOrEqual(params.limit ?? 50);
        out.push(...res.jobs);
        if (res.nextCursor === null) return out;
        expect(res.jobs.length).toBeGreaterThan(0);
        cursor = res.nextCursor;
      }
      throw new Error('list never ended');
    }

    /** A mix: 3 names x 2 queues x 2 tenants, some claimed, completed, failed, cancelled. */
    async function seed(): Promise<JobRecord[]> {
      const specs = [];
      for (let i = 0; i < 36; i++) {
        specs.push(
          newJob({
            name: ['conf-a', 'conf-b', 'conf-c'][i % 3],
            queue: ['q1', 'q2'][i % 2],
            tenant: i % 4 === 0 ? null : ['t1', 't2'][i % 2],
            key: `k${i}`,
            payload: { i },
          }),
        );
      }
      const jobs = await insertJobs(h.store, specs, h.t0);
      // Claims may come back in any order; settle by id so the mix is the same on every store.
      const held = (await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'], limit: 12 })).sort((a, b) => compareIds(a.id, b.id));
      await h.store.complete({ workerId: 'w1', items: held.slice(0, 5).map((j) => ({ id: j.id, attempt: 1 })), now: h.t0 + 1 });
      await h.store.fail({
        workerId: 'w1',
        items: held.slice(5, 8).map((j) => ({ id: j.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null })),
        now: h.t0 + 1,
      });
      for (const j of jobs.filter((x) => x.name === 'conf-c').slice(0, 4)) await h.store.cancel({ id: j.id, now: h.t0 + 1 });
      const latest = await Promise.all(jobs.map((j) => h.store.get({ id: j.id })));
      return latest.map((j) => j!);
    }

    it('lists newest first and pages through everything exactly once', async () => {
      const jobs = await seed();
      const listed = await listAll({ limit: 7 });
      expect(listed.map((j) => j.id)).toEqual(jobs.map((j) => j.id).sort((a, b) => compareIds(b, a)));
      const first = await h.store.list({ limit: 7 });
      expect(first.jobs).toHaveLength(7);
      expect(first.nextCursor).not.toBeNull();
      expect(first.jobs[0]).toEqual(jobs[jobs.length - 1]);
    });

    it('uses a default page size of 50', async () => {
      await insertJobs(h.store, Array.from({ length: 60 }, () => newJob()), h.t0);
      const page = await h.store.list({});
      expect(page.jobs).toHaveLength(50);
      const rest = await h.store.list({ cursor: page.nextCursor });
      expect(rest.jobs).toHaveLength(10);
      expect(rest.nextCursor).toBeNull();
    });

    it('caps a page at 1,000 jobs', async () => {
      for (let i = 0; i < 1_005; i += 500) {
        await insertJobs(h.store, Array.from({ length: Math.min(500, 1_005 - i) }, () => newJob()), h.t0);
      }
      const page = await h.store.list({ limit: 5_000 });
      expect(page.jobs).toHaveLength(1_000);
      expect(page.nextCursor).not.toBeNull();
      expect((await h.store.list({ limit: 5_000, cursor: page.nextCursor })).jobs).toHaveLength(5);
    });

    it('returns an empty page with no cursor when nothing matches', async () => {
      expect(await h.store.list({})).toEqual({ jobs: [], nextCursor: null });
      await insertJobs(h.store, [newJob()], h.t0);
      expect(await h.store.list({ name: 'nobody' })).toEqual({ jobs: [], nextCursor: null });
    });

    it('filters by state, queue, name, tenant and key, with cursors that keep the filter', async () => {
      const jobs = await seed();
      const cases: Array<[ListParams, (j: JobRecord) => boolean]> = [
        [{ state: 'pending' }, (j) => j.state === 'pending'],
        [{ state: ['completed', 'failed'] }, (j) => j.state === 'completed' || j.state === 'failed'],
        [{ state: 'cancelled' }, (j) => j.state === 'cancelled'],
        [{ queue: 'q2' }, (j) => j.queue === 'q2'],
        [{ name: 'conf-b' }, (j) => j.name === 'conf-b'],
        [{ tenant: 't1' }, (j) => j.tenant === 't1'],
        [{ key: 'k7' }, (j) => j.key === 'k7'],
        [{ state: 'active', name: 'conf-a', queue: 'q1' }, (j) => j.state === 'active' && j.name === 'conf-a' && j.queue === 'q1'],
        [{ name: 'conf-c', tenant: 't2', state: ['pending', 'cancelled'] }, (j) => j.name === 'conf-c' && j.tenant === 't2'],
      ];
      for (const [filter, match] of cases) {
        const expected = jobs.filter(match).map((j) => j.id).sort((a, b) => compareIds(b, a));
        expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
        const listed = await listAll({ ...filter, limit: 3 });
        expect(listed.map((j) => j.id), JSON.stringify(filter)).toEqual(expected);
      }
    });

    it('counts jobs per state, with every state present', async () => {
      expect(await h.store.counts({})).toEqual({ pending: 0, active: 0, completed: 0, failed: 0, cancelled: 0 });
      const jobs = await seed();
      expect(jobs).toHaveLength(36);
      const tally = (match: (j: JobRecord) => boolean) => {
        const c = { pending: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
        for (const j of jobs.filter(match)) c[j.state] += 1;
        return c;
      };
      expect(await h.store.counts({})).toEqual(tally(() => true));
      expect(await h.store.counts({ queue: 'q1' })).toEqual(tally((j) => j.queue === 'q1'));
      expect(await h.store.counts({ name: 'conf-a' })).toEqual(tally((j) => j.name === 'conf-a'));
      expect(await h.store.counts({ tenant: 't2' })).toEqual(tally((j) => j.tenant === 't2'));
      expect(await h.store.counts({ name: 'conf-b', queue: 'q2', tenant: 't2' })).toEqual(
        tally((j) => j.name === 'conf-b' && j.queue === 'q2' && j.tenant === 't2'),
      );
    });
  });
}
