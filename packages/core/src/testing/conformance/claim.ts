import { vitest } from './vitest.js';
import type { JobRecord } from '../../store/contract.js';
import { claim, insertJob, insertJobs, ms, newJob, sortedIds, useStore, type StoreConformanceOptions } from './harness.js';

/** claim: what is claimable, in which order, what a claim records, and no sharing under concurrency. */
export function claimTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('claim', () => {
    const h = useStore(options);

    /** Claim one job at a time until none is left, returning the order. */
    async function drainOneByOne(now: number): Promise<JobRecord[]> {
      const order: JobRecord[] = [];
      for (;;) {
        const [job] = await claim(h.store, now, { limit: 1 });
        if (!job) return order;
        order.push(job);
      }
    }

    it('marks a claimed job active under a lease and records a running attempt', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      const [claimed] = await claim(h.store, h.t0 + 10, { workerId: 'worker-a', leaseMs: 5_000 });
      expect(claimed).toMatchObject({ id: job.id, state: 'active', attempts: 1, workerId: 'worker-a' });
      expect(ms(claimed.startedAt)).toBe(h.t0 + 10);
      expect(ms(claimed.lockedUntil)).toBe(h.t0 + 5_010);
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'active', attempts: 1, workerId: 'worker-a' });
      expect(ms(stored?.lockedUntil)).toBe(h.t0 + 5_010);
      const attempts = await h.store.attempts({ jobId: job.id });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ jobId: job.id, attempt: 1, workerId: 'worker-a', outcome: 'running', finishedAt: null });
      expect(ms(attempts[0].startedAt)).toBe(h.t0 + 10);
    });

    /** Jobs inserted out of claim order, and the order a claim must hand them out in. */
    const mixed = () => [
      { payload: 'p0-late', priority: 0, runAt: new Date(h.t0 - 1_000) },
      { payload: 'p5-late', priority: 5, runAt: new Date(h.t0 - 1_000) },
      { payload: 'p0-early', priority: 0, runAt: new Date(h.t0 - 5_000) },
      { payload: 'p5-early', priority: 5, runAt: new Date(h.t0 - 5_000) },
      { payload: 'p-neg', priority: -3, runAt: new Date(h.t0 - 9_000) },
      { payload: 'p0-late-second', priority: 0, runAt: new Date(h.t0 - 1_000) },
      { payload: 'p10', priority: 10, runAt: new Date(h.t0) },
    ];
    const claimOrder = ['p10', 'p5-early', 'p5-late', 'p0-early', 'p0-late', 'p0-late-second', 'p-neg'];

    it('orders by priority (higher first), then run time, then id', async () => {
      await insertJobs(h.store, mixed().map((s) => newJob(s)), h.t0 - 10_000);
      const order = (await drainOneByOne(h.t0)).map((j) => j.payload);
      expect(order).toEqual(claimOrder);
    });

    it('returns a batch in claim order, whatever order the jobs were inserted in', async () => {
      await insertJobs(h.store, mixed().map((s) => newJob(s)), h.t0 - 10_000);
      const batch = await claim(h.store, h.t0, { limit: 10 });
      expect(batch.map((j) => j.payload)).toEqual(claimOrder);
    });

    it('claims the best `limit` jobs in one batch', async () => {
      const jobs = await insertJobs(h.store, [1, 9, 3, 7, 5].map((priority) => newJob({ priority, payload: priority })), h.t0);
      const batch = await claim(h.store, h.t0, { limit: 3 });
      expect(batch.map((j) => j.payload as number).sort((a, b) => a - b)).toEqual([5, 7, 9]);
      expect(batch.every((j) => j.state === 'active' && j.attempts === 1)).toBe(true);
      expect(jobs).toHaveLength(5);
      expect((await h.store.counts({})).pending).toBe(2);
      expect(await claim(h.store, h.t0, { limit: 0 })).toEqual([]);
      expect((await h.store.counts({})).pending).toBe(2);
    });

    it('does not claim jobs whose runAt is in the future', async () => {
      const due = await insertJob(h.store, { runAt: new Date(h.t0) }, h.t0);
      const later = await insertJob(h.store, { runAt: new Date(h.t0 + 60_000) }, h.t0);
      const delayed = await insertJob(h.store, { delayMs: 30_000 }, h.t0);
      expect(sortedIds(await claim(h.store, h.t0))).toEqual([due.id]);
      expect(await claim(h.store, h.t0 + 29_999)).toEqual([]);
      expect(sortedIds(await claim(h.store, h.t0 + 30_000))).toEqual([delayed.id]);
      expect(sortedIds(await claim(h.store, h.t0 + 60_000))).toEqual([later.id]);
    });

    it('claims only the given names', async () => {
      const a = await insertJob(h.store, { name: 'conf-a' }, h.t0);
      const b = await insertJob(h.store, { name: 'conf-b' }, h.t0);
      await insertJob(h.store, { name: 'conf-c' }, h.t0);
      expect(sortedIds(await claim(h.store, h.t0, { names: ['conf-a', 'conf-b'] }))).toEqual(sortedIds([a, b]));
      expect(await claim(h.store, h.t0, { names: ['conf-missing'] })).toEqual([]);
      expect(await claim(h.store, h.t0, { names: [] })).toEqual([]);
      expect((await h.store.counts({ name: 'conf-c' })).pending).toBe(1);
    });

    it('claims only the given queues, or any queue when omitted', async () => {
      const q1 = await insertJob(h.store, { queue: 'q1' }, h.t0);
      const q2 = await insertJob(h.store, { queue: 'q2' }, h.t0);
      const q3 = await insertJob(h.store, { queue: 'q3' }, h.t0);
      expect(sortedIds(await claim(h.store, h.t0, { queues: ['q2'] }))).toEqual([q2.id]);
      expect(await claim(h.store, h.t0, { queues: ['nope'] })).toEqual([]);
      expect(sortedIds(await claim(h.store, h.t0))).toEqual(sortedIds([q1, q3]));
    });

    it('does not claim active or terminal jobs', async () => {
      const [a, b, c] = await insertJobs(h.store, [newJob(), newJob(), newJob()], h.t0);
      expect(sortedIds(await claim(h.store, h.t0, { limit: 2 }))).toEqual(sortedIds([a, b]));
      await h.store.complete({ workerId: 'w1', items: [{ id: a.id, attempt: 1 }], now: h.t0 + 1 });
      await h.store.cancel({ id: c.id, now: h.t0 + 1 });
      expect(await claim(h.store, h.t0 + 2)).toEqual([]);
    });

    it('never hands one job to two of 8 parallel claimers, and together they claim all 2,000', async () => {
      const total = 2_000;
      const inserted: string[] = [];
      for (let i = 0; i < total; i += 500) {
        const chunk = await insertJobs(
          h.store,
          Array.from({ length: 500 }, (_, j) => newJob({ payload: { i: i + j }, priority: (i + j) % 3 })),
          h.t0,
        );
        inserted.push(...chunk.map((j) => j.id));
      }
      const claimer = async (w: number): Promise<string[]> => {
        const got: string[] = [];
        for (;;) {
          const batch = await claim(h.store, h.t0, { workerId: `w${w}`, limit: 25 });
          if (batch.length === 0) return got;
          for (const job of batch) expect(job.workerId).toBe(`w${w}`);
          got.push(...batch.map((j) => j.id));
        }
      };
      const perWorker = await Promise.all(Array.from({ length: 8 }, (_, w) => claimer(w)));
      // A store that skips rows locked by a concurrent claimer may let a claimer stop early; sweep the rest.
      perWorker.push(await claimer(8));
      const all = perWorker.flat();
      expect(all.length).toBe(total);
      expect(new Set(all).size).toBe(total);
      expect(sortedIds(all)).toEqual(sortedIds(inserted));
      expect((await h.store.counts({})).active).toBe(total);
    });
  });
}
