import { vitest } from './vitest.js';
import type { ClaimLimits } from '../../store/contract.js';
import { claim, insertJob, insertJobs, newJob, sortedIds, useStore, type StoreConformanceOptions } from './harness.js';

/** Pauses, concurrency limits (queue, name, group), rate limits and tenant fairness. */
export function flowControlTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('flow control', () => {
    const h = useStore(options);

    const complete = (id: string, attempt = 1, workerId = 'w1') =>
      h.store.complete({ workerId, items: [{ id, attempt }], now: h.t0 + 1 });

    describe('pauses', () => {
      it('skips a paused queue until it is resumed, and still accepts jobs for it', async () => {
        await h.store.pause({ scope: 'queue', target: 'q1', until: null, reason: 'maintenance' });
        const paused = await insertJob(h.store, { queue: 'q1' }, h.t0);
        const other = await insertJob(h.store, { queue: 'q2' }, h.t0);
        expect(sortedIds(await claim(h.store, h.t0))).toEqual([other.id]);
        expect(await h.store.listPauses({ now: h.t0 })).toEqual([{ scope: 'queue', target: 'q1', until: null, reason: 'maintenance' }]);
        expect(await h.store.resume({ scope: 'queue', target: 'q1' })).toBe(true);
        expect(await h.store.resume({ scope: 'queue', target: 'q1' })).toBe(false);
        expect(await h.store.listPauses({ now: h.t0 })).toEqual([]);
        expect(sortedIds(await claim(h.store, h.t0))).toEqual([paused.id]);
      });

      it('skips a paused job name in every queue', async () => {
        await h.store.pause({ scope: 'name', target: 'conf-a', until: null, reason: null });
        await insertJob(h.store, { name: 'conf-a', queue: 'q1' }, h.t0);
        await insertJob(h.store, { name: 'conf-a', queue: 'q2' }, h.t0);
        const b = await insertJob(h.store, { name: 'conf-b', queue: 'q1' }, h.t0);
        expect(sortedIds(await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'] }))).toEqual([b.id]);
        await h.store.resume({ scope: 'name', target: 'conf-a' });
        expect(await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'] })).toHaveLength(2);
      });

      it('lists pauses of both scopes', async () => {
        await h.store.pause({ scope: 'queue', target: 'q1', until: null, reason: 'a' });
        await h.store.pause({ scope: 'name', target: 'q1', until: new Date(h.t0 + 60_000), reason: 'b' });
        await h.store.pause({ scope: 'name', target: 'conf-x', until: new Date(h.t0 - 1), reason: 'lapsed' });
        const listed = await h.store.listPauses({ now: h.t0 });
        expect(listed.map((p) => `${p.scope}:${p.target}:${p.reason}`).sort()).toEqual(['name:q1:b', 'queue:q1:a']);
      });

      it('keeps queue and name pauses apart', async () => {
        await h.store.pause({ scope: 'name', target: 'shared', until: null, reason: null });
        const job = await insertJob(h.store, { name: 'conf-job', queue: 'shared' }, h.t0);
        expect(sortedIds(await claim(h.store, h.t0))).toEqual([job.id]);
        expect(await h.store.resume({ scope: 'queue', target: 'shared' })).toBe(false);
      });

      it('lets a pause with `until` lapse by itself', async () => {
        const until = new Date(h.t0 + 10_000);
        await h.store.pause({ scope: 'queue', target: 'q1', until, reason: 'breaker' });
        const job = await insertJob(h.store, { queue: 'q1' }, h.t0);
        expect(await claim(h.store, h.t0 + 5_000)).toEqual([]);
        const listed = await h.store.listPauses({ now: h.t0 + 5_000 });
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ scope: 'queue', target: 'q1', reason: 'breaker' });
        expect(listed[0].until?.getTime()).toBe(until.getTime());
        expect(await h.store.listPauses({ now: h.t0 + 20_000 })).toEqual([]);
        expect(sortedIds(await claim(h.store, h.t0 + 20_000))).toEqual([job.id]);
      });

      it('ignores a pause whose `until` is already past', async () => {
        await h.store.pause({ scope: 'name', target: 'conf-job', until: new Date(h.t0 - 1_000), reason: null });
        const job = await insertJob(h.store, {}, h.t0);
        expect(await h.store.listPauses({ now: h.t0 })).toEqual([]);
        expect(sortedIds(await claim(h.store, h.t0))).toEqual([job.id]);
      });

      it('replaces an existing pause', async () => {
        await h.store.pause({ scope: 'queue', target: 'q1', until: null, reason: 'first' });
        await h.store.pause({ scope: 'queue', target: 'q1', until: new Date(h.t0 + 1_000), reason: 'second' });
        const listed = await h.store.listPauses({ now: h.t0 });
        expect(listed.map((p) => p.reason)).toEqual(['second']);
        const job = await insertJob(h.store, { queue: 'q1' }, h.t0);
        expect(sortedIds(await claim(h.store, h.t0 + 2_000))).toEqual([job.id]);
      });
    });

    describe('concurrency limits', () => {
      it('caps active jobs per queue across claims', async () => {
        const limits: ClaimLimits = { queues: { q1: { concurrency: 2 } } };
        const jobs = await insertJobs(h.store, Array.from({ length: 5 }, () => newJob({ queue: 'q1' })), h.t0);
        const other = await insertJob(h.store, { queue: 'q2' }, h.t0);
        const first = await claim(h.store, h.t0, { limits, workerId: 'w1' });
        expect(sortedIds(first)).toEqual(sortedIds([jobs[0], jobs[1], other]));
        expect(await claim(h.store, h.t0, { limits, workerId: 'w2' })).toEqual([]);
        await complete(jobs[0].id);
        expect(sortedIds(await claim(h.store, h.t0 + 2, { limits, workerId: 'w2' }))).toEqual([jobs[2].id]);
      });

      it('caps active jobs per name', async () => {
        const limits: ClaimLimits = { names: { 'conf-a': { concurrency: 1 } } };
        const a = await insertJobs(h.store, [newJob({ name: 'conf-a' }), newJob({ name: 'conf-a' })], h.t0);
        const b = await insertJobs(h.store, [newJob({ name: 'conf-b' }), newJob({ name: 'conf-b' })], h.t0);
        const names = ['conf-a', 'conf-b'];
        expect(sortedIds(await claim(h.store, h.t0, { names, limits }))).toEqual(sortedIds([a[0], ...b]));
        expect(await claim(h.store, h.t0, { names, limits })).toEqual([]);
        await complete(a[0].id);
        expect(sortedIds(await claim(h.store, h.t0 + 2, { names, limits }))).toEqual([a[1].id]);
      });

      it('caps active jobs per (name, tenant), with tenantless jobs as one group', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { groupConcurrency: 2 } } };
        const t1 = await insertJobs(h.store, Array.from({ length: 3 }, () => newJob({ tenant: 't1' })), h.t0);
        const t2 = await insertJobs(h.store, Array.from({ length: 3 }, () => newJob({ tenant: 't2' })), h.t0);
        const none = await insertJobs(h.store, Array.from({ length: 3 }, () => newJob({ tenant: null })), h.t0);
        const first = await claim(h.store, h.t0, { limits });
        expect(sortedIds(first)).toEqual(sortedIds([t1[0], t1[1], t2[0], t2[1], none[0], none[1]]));
        expect(await claim(h.store, h.t0, { limits })).toEqual([]);
        await complete(t2[0].id);
        expect(sortedIds(await claim(h.store, h.t0 + 2, { limits }))).toEqual([t2[2].id]);
      });

      it('counts active jobs of every name in the queue, not only the names being claimed', async () => {
        const limits: ClaimLimits = { queues: { shared: { concurrency: 2 } } };
        await insertJobs(h.store, [newJob({ name: 'conf-other', queue: 'shared' }), newJob({ name: 'conf-other', queue: 'shared' })], h.t0);
        await claim(h.store, h.t0, { names: ['conf-other'], workerId: 'other-service' });
        await insertJob(h.store, { queue: 'shared' }, h.t0);
        expect(await claim(h.store, h.t0, { limits })).toEqual([]);
      });

      it('keeps groups of different names apart', async () => {
        const limits: ClaimLimits = { names: { 'conf-a': { groupConcurrency: 1 }, 'conf-b': { groupConcurrency: 1 } } };
        await insertJobs(
          h.store,
          ['conf-a', 'conf-a', 'conf-b', 'conf-b'].map((name) => newJob({ name, tenant: 't1' })),
          h.t0,
        );
        const got = await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'], limits });
        expect(got.map((j) => j.name).sort()).toEqual(['conf-a', 'conf-b']);
      });

      it('counts the jobs taken within the same claim batch', async () => {
        const limits: ClaimLimits = { queues: { default: { concurrency: 3 } } };
        await insertJobs(h.store, Array.from({ length: 10 }, () => newJob()), h.t0);
        expect(await claim(h.store, h.t0, { limits, limit: 10 })).toHaveLength(3);
      });

      it('holds limits across concurrent claimers', async () => {
        const limits: ClaimLimits = { queues: { default: { concurrency: 3 } }, names: { 'conf-job': { groupConcurrency: 2 } } };
        const specs = Array.from({ length: 60 }, (_, i) => newJob({ tenant: `t${i % 3}` }));
        await insertJobs(h.store, specs, h.t0);
        const batches = await Promise.all(Array.from({ length: 8 }, (_, w) => claim(h.store, h.t0, { limits, workerId: `w${w}`, limit: 5 })));
        const claimed = batches.flat();
        expect(claimed.length).toBeLessThanOrEqual(3);
        // Whatever a racing claimer skipped, a later claim fills up to the limit and no further.
        const more = await claim(h.store, h.t0, { limits });
        expect(claimed.length + more.length).toBe(3);
        const perTenant = new Map<string, number>();
        for (const j of [...claimed, ...more]) perTenant.set(j.tenant!, (perTenant.get(j.tenant!) ?? 0) + 1);
        expect(Math.max(...perTenant.values())).toBeLessThanOrEqual(2);
      });

      it('lets tenant B start within the first claim cycle while tenant A floods the queue', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { groupConcurrency: 5 } } };
        for (let i = 0; i < 500; i += 250) {
          await insertJobs(h.store, Array.from({ length: 250 }, (_, j) => newJob({ tenant: 'A', payload: { i: i + j } })), h.t0 - 60_000);
        }
        const b = await insertJobs(h.store, Array.from({ length: 5 }, () => newJob({ tenant: 'B' })), h.t0);
        const first = await claim(h.store, h.t0, { limits, limit: 10 });
        expect(first).toHaveLength(10);
        expect(sortedIds(first.filter((j) => j.tenant === 'B'))).toEqual(sortedIds(b));
        expect(first.filter((j) => j.tenant === 'A')).toHaveLength(5);
      });
    });

    describe('rate limits', () => {
      it('allows at most `max` claims per name within the trailing window', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { rate: { max: 3, perMs: 1_000 } } } };
        await insertJobs(h.store, Array.from({ length: 10 }, () => newJob()), h.t0);
        const first = await claim(h.store, h.t0, { limits, limit: 10 });
        expect(first).toHaveLength(3);
        // Completing does not give the slots back: the limit counts claims, not active jobs.
        await h.store.complete({ workerId: 'w1', items: first.map((j) => ({ id: j.id, attempt: 1 })), now: h.t0 + 1 });
        expect(await claim(h.store, h.t0 + 500, { limits })).toEqual([]);
        expect(await claim(h.store, h.t0 + 1_001, { limits })).toHaveLength(3);
        expect(await claim(h.store, h.t0 + 1_500, { limits })).toEqual([]);
        expect(await claim(h.store, h.t0 + 2_100, { limits })).toHaveLength(3);
        expect(await claim(h.store, h.t0 + 3_200, { limits })).toHaveLength(1);
      });

      it('counts a sliding window, not fixed buckets', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { rate: { max: 2, perMs: 1_000 } } } };
        await insertJobs(h.store, Array.from({ length: 10 }, () => newJob()), h.t0);
        expect(await claim(h.store, h.t0, { limits, limit: 1 })).toHaveLength(1);
        expect(await claim(h.store, h.t0 + 600, { limits })).toHaveLength(1);
        // At +1100 the claim at t0 has left the window; the one at +600 has not.
        expect(await claim(h.store, h.t0 + 1_100, { limits })).toHaveLength(1);
        expect(await claim(h.store, h.t0 + 1_200, { limits })).toEqual([]);
        expect(await claim(h.store, h.t0 + 1_700, { limits })).toHaveLength(1);
      });

      it('counts per (name, tenant) with byGroup', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { rate: { max: 2, perMs: 1_000, byGroup: true } } } };
        await insertJobs(h.store, Array.from({ length: 4 }, () => newJob({ tenant: 't1' })), h.t0);
        await insertJobs(h.store, Array.from({ length: 4 }, () => newJob({ tenant: 't2' })), h.t0);
        const first = await claim(h.store, h.t0, { limits });
        expect(first.filter((j) => j.tenant === 't1')).toHaveLength(2);
        expect(first.filter((j) => j.tenant === 't2')).toHaveLength(2);
        expect(await claim(h.store, h.t0 + 500, { limits })).toEqual([]);
        expect(await claim(h.store, h.t0 + 1_500, { limits })).toHaveLength(4);
      });

      it('applies only to the limited name', async () => {
        const limits: ClaimLimits = { names: { 'conf-a': { rate: { max: 1, perMs: 60_000 } } } };
        await insertJobs(h.store, Array.from({ length: 3 }, () => newJob({ name: 'conf-a' })), h.t0);
        await insertJobs(h.store, Array.from({ length: 3 }, () => newJob({ name: 'conf-b' })), h.t0);
        const got = await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'], limits });
        expect(got.filter((j) => j.name === 'conf-a')).toHaveLength(1);
        expect(got.filter((j) => j.name === 'conf-b')).toHaveLength(3);
      });

      it('holds the rate across concurrent claimers', async () => {
        const limits: ClaimLimits = { names: { 'conf-job': { rate: { max: 5, perMs: 10_000 } } } };
        await insertJobs(h.store, Array.from({ length: 50 }, () => newJob()), h.t0);
        const batches = await Promise.all(Array.from({ length: 8 }, (_, w) => claim(h.store, h.t0, { limits, workerId: `w${w}`, limit: 4 })));
        const claimed = batches.flat().length;
        expect(claimed).toBeLessThanOrEqual(5);
        expect(claimed + (await claim(h.store, h.t0 + 1, { limits })).length).toBe(5);
      });
    });
  });
}
