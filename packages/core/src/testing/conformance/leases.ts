import { vitest } from './vitest.js';
import { claim, insertJob, insertJobs, ms, newJob, sortedIds, useStore, type StoreConformanceOptions } from './harness.js';

/** Leases: extending them, noticing they are lost, and rescuing jobs whose lease expired. */
export function leaseTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('leases', () => {
    const h = useStore(options);

    it('extends held leases to now + leaseMs', async () => {
      const [a, b] = await insertJobs(h.store, [newJob(), newJob()], h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      const { lost } = await h.store.extendLeases({ workerId: 'w1', ids: [a.id, b.id], leaseMs: 10_000, now: h.t0 + 500 });
      expect(lost).toEqual([]);
      for (const id of [a.id, b.id]) expect(ms((await h.store.get({ id }))?.lockedUntil)).toBe(h.t0 + 10_500);
      // Extended leases are not expired at the old expiry.
      expect((await h.store.rescueExpired({ now: h.t0 + 2_000 })).rescued).toEqual([]);
    });

    it('reports ids the worker does not hold as lost and leaves them alone', async () => {
      const [held, other, done, cancelled, removed] = await insertJobs(h.store, Array.from({ length: 5 }, () => newJob()), h.t0);
      await claim(h.store, h.t0, { workerId: 'w1', limit: 1, leaseMs: 1_000 });
      await claim(h.store, h.t0, { workerId: 'w2', limit: 1, leaseMs: 1_000 });
      await claim(h.store, h.t0, { workerId: 'w1', limit: 3, leaseMs: 1_000 });
      await h.store.complete({ workerId: 'w1', items: [{ id: done.id, attempt: 1 }], now: h.t0 + 1 });
      await h.store.cancel({ id: cancelled.id, now: h.t0 + 1 });
      await h.store.remove({ id: removed.id });

      const ids = [held.id, other.id, done.id, cancelled.id, removed.id, '999999999'];
      const { lost } = await h.store.extendLeases({ workerId: 'w1', ids, leaseMs: 5_000, now: h.t0 + 2 });
      expect(sortedIds(lost)).toEqual(sortedIds(ids.slice(1)));
      // The other worker's lease was not touched.
      expect(ms((await h.store.get({ id: other.id }))?.lockedUntil)).toBe(h.t0 + 1_000);
      expect(ms((await h.store.get({ id: held.id }))?.lockedUntil)).toBe(h.t0 + 5_002);
    });

    it('does not rescue leases that have not expired', async () => {
      await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      expect((await h.store.rescueExpired({ now: h.t0 + 500 })).rescued).toEqual([]);
      expect((await h.store.counts({})).active).toBe(1);
    });

    it('does not claim an active job whose lease expired until it is rescued', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      expect(await claim(h.store, h.t0 + 5_000, { workerId: 'w2' })).toEqual([]);
      await h.store.rescueExpired({ now: h.t0 + 5_000 });
      expect(sortedIds(await claim(h.store, h.t0 + 5_000, { workerId: 'w2' }))).toEqual([job.id]);
    });

    it('rescues an expired job back to pending, records the attempt stalled, and the old holder has lost it', async () => {
      const job = await insertJob(h.store, { maxAttempts: 3 }, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      const { rescued } = await h.store.rescueExpired({ now: h.t0 + 2_000 });
      expect(rescued).toHaveLength(1);
      expect(rescued[0]).toMatchObject({ id: job.id, state: 'pending', attempts: 1 });

      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'pending', workerId: null, lockedUntil: null });
      expect(ms(stored?.runAt)).toBeLessThanOrEqual(h.t0 + 2_000);
      const attempts = await h.store.attempts({ jobId: job.id });
      expect(attempts.map((a) => a.outcome)).toEqual(['stalled']);
      expect(ms(attempts[0].finishedAt)).toBe(h.t0 + 2_000);

      expect((await h.store.extendLeases({ workerId: 'w1', ids: [job.id], leaseMs: 1_000, now: h.t0 + 2_001 })).lost).toEqual([job.id]);
      const late = await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 2_001 });
      expect(late).toEqual({ settled: [], lost: [job.id] });

      const [again] = await claim(h.store, h.t0 + 2_000, { workerId: 'w2' });
      expect(again).toMatchObject({ id: job.id, attempts: 2, workerId: 'w2' });
    });

    it('rescues an expired job to failed when its attempts are used up', async () => {
      const job = await insertJob(h.store, { maxAttempts: 1 }, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      const { rescued } = await h.store.rescueExpired({ now: h.t0 + 2_000 });
      expect(rescued.map((j) => [j.id, j.state])).toEqual([[job.id, 'failed']]);
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'failed', attempts: 1 });
      expect(ms(stored?.finishedAt)).toBe(h.t0 + 2_000);
      expect((await h.store.attempts({ jobId: job.id })).map((a) => a.outcome)).toEqual(['stalled']);
      expect(await claim(h.store, h.t0 + 3_000)).toEqual([]);
    });

    it('lets either the late settle or the rescue win, never both', async () => {
      const jobs = await insertJobs(h.store, Array.from({ length: 100 }, () => newJob({ maxAttempts: 3 })), h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000, limit: 100 });
      const now = h.t0 + 2_000;
      const [settled, { rescued }] = await Promise.all([
        h.store.complete({ workerId: 'w1', items: jobs.map((j) => ({ id: j.id, attempt: 1 })), now }),
        h.store.rescueExpired({ now }),
      ]);
      const rescuedIds = rescued.map((j) => j.id);
      expect(settled.settled.filter((id) => rescuedIds.includes(id))).toEqual([]);
      expect(sortedIds([...settled.settled, ...rescuedIds])).toEqual(sortedIds(jobs));
      expect(sortedIds(settled.lost)).toEqual(sortedIds(rescuedIds));
      const counts = await h.store.counts({});
      expect(counts.completed).toBe(settled.settled.length);
      expect(counts.pending).toBe(rescued.length);
    });

    it('extends nothing for an empty list', async () => {
      expect(await h.store.extendLeases({ workerId: 'w1', ids: [], leaseMs: 1_000, now: h.t0 })).toEqual({ lost: [] });
    });

    it('honours the rescue limit', async () => {
      await insertJobs(h.store, Array.from({ length: 5 }, () => newJob()), h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      expect((await h.store.rescueExpired({ now: h.t0 + 2_000, limit: 2 })).rescued).toHaveLength(2);
      expect((await h.store.rescueExpired({ now: h.t0 + 2_000 })).rescued).toHaveLength(3);
      expect((await h.store.counts({})).pending).toBe(5);
    });

    it('rescues each expired job once under concurrent rescuers', async () => {
      const jobs = await insertJobs(h.store, Array.from({ length: 200 }, () => newJob()), h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000, limit: 200 });
      const results = await Promise.all(Array.from({ length: 6 }, () => h.store.rescueExpired({ now: h.t0 + 2_000 })));
      const ids = results.flatMap((r) => r.rescued.map((j) => j.id));
      expect(ids).toHaveLength(jobs.length);
      expect(sortedIds(ids)).toEqual(sortedIds(jobs));
      for (const job of jobs.slice(0, 5)) expect(await h.store.attempts({ jobId: job.id })).toHaveLength(1);
    });

    it('records progress only while the job is held', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      expect(await h.store.setProgress({ id: job.id, workerId: 'w1', progress: 10 })).toBe(false);
      await claim(h.store, h.t0);
      expect(await h.store.setProgress({ id: job.id, workerId: 'w1', progress: 40 })).toBe(true);
      expect((await h.store.get({ id: job.id }))?.progress).toBe(40);
      expect(await h.store.setProgress({ id: job.id, workerId: 'w2', progress: 50 })).toBe(false);
      expect((await h.store.get({ id: job.id }))?.progress).toBe(40);
      expect(await h.store.setProgress({ id: '999999999', workerId: 'w1', progress: 50 })).toBe(false);
    });
  });
}
