import { vitest } from './vitest.js';
import type { JobRecord } from '../../store/contract.js';
import { claim, insertJob, insertJobs, newJob, useStore, type StoreConformanceOptions } from './harness.js';

const DAY = 86_400_000;

/** prune: retention of terminal jobs and attempt history, in batches. */
export function pruneTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('prune', () => {
    const h = useStore(options);
    const retention = { completedOlderThanMs: 7 * DAY, failedOlderThanMs: 30 * DAY, cancelledOlderThanMs: 7 * DAY, attemptsOlderThanMs: 90 * DAY };

    /** A job of `name` settled at `at`: completed, failed, or cancelled. */
    async function finished(end: 'completed' | 'failed' | 'cancelled', at: number, name = 'conf-job'): Promise<JobRecord> {
      const job = await insertJob(h.store, { name, maxAttempts: 1 }, at);
      if (end === 'cancelled') {
        await h.store.cancel({ id: job.id, now: at });
        return job;
      }
      const [held] = await claim(h.store, at, { names: [name], limit: 1 });
      expect(held.id).toBe(job.id);
      if (end === 'completed') await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: at });
      else
        await h.store.fail({
          workerId: 'w1',
          items: [{ id: job.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
          now: at,
        });
      return job;
    }

    it('removes terminal jobs past their retention and keeps the rest', async () => {
      const now = h.t0;
      const oldCompleted = await finished('completed', now - 8 * DAY);
      const newCompleted = await finished('completed', now - 6 * DAY);
      const oldFailed = await finished('failed', now - 31 * DAY);
      const newFailed = await finished('failed', now - 8 * DAY);
      const oldCancelled = await finished('cancelled', now - 8 * DAY);
      const newCancelled = await finished('cancelled', now - 1 * DAY);
      const oldPending = await insertJob(h.store, { name: 'conf-idle' }, now - 100 * DAY);
      const oldActive = await insertJob(h.store, { name: 'conf-busy' }, now - 100 * DAY);
      await claim(h.store, now - 100 * DAY, { names: ['conf-busy'], leaseMs: 200 * DAY });

      const out = await h.store.prune({ ...retention, now });
      expect(out.jobs).toBe(3);
      for (const gone of [oldCompleted, oldFailed, oldCancelled]) {
        expect(await h.store.get({ id: gone.id })).toBeNull();
        expect(await h.store.attempts({ jobId: gone.id })).toEqual([]);
      }
      for (const kept of [newCompleted, newFailed, newCancelled, oldPending, oldActive]) {
        expect(await h.store.get({ id: kept.id })).not.toBeNull();
      }
      expect((await h.store.get({ id: oldActive.id }))?.state).toBe('active');
      expect(await h.store.prune({ ...retention, now })).toEqual({ jobs: 0, attempts: 0 });
    });

    it('drops old attempt history of jobs that remain, keeping recent and running attempts', async () => {
      const now = h.t0;
      const job = await insertJob(h.store, { maxAttempts: 5 }, now - 200 * DAY);
      await claim(h.store, now - 200 * DAY);
      await h.store.fail({
        workerId: 'w1',
        items: [{ id: job.id, attempt: 1, error: { name: 'Error', message: 'old' }, retryDelayMs: 0 }],
        now: now - 100 * DAY,
      });
      await claim(h.store, now - 50 * DAY);
      await h.store.fail({
        workerId: 'w1',
        items: [{ id: job.id, attempt: 2, error: { name: 'Error', message: 'recent' }, retryDelayMs: 0 }],
        now: now - 10 * DAY,
      });
      await claim(h.store, now - 5 * DAY, { leaseMs: 200 * DAY });

      const out = await h.store.prune({ ...retention, now });
      expect(out).toEqual({ jobs: 0, attempts: 1 });
      const history = await h.store.attempts({ jobId: job.id });
      expect(history.map((a) => [a.attempt, a.outcome])).toEqual([
        [2, 'failed'],
        [3, 'running'],
      ]);
      expect((await h.store.get({ id: job.id }))?.state).toBe('active');
    });

    it('works through more rows than one batch', async () => {
      const now = h.t0;
      const old = await insertJobs(h.store, Array.from({ length: 23 }, () => newJob()), now - 10 * DAY);
      for (const job of old) await h.store.cancel({ id: job.id, now: now - 10 * DAY });
      const keep = await insertJob(h.store, {}, now);
      const out = await h.store.prune({ ...retention, batchSize: 5, now });
      expect(out.jobs).toBe(23);
      expect((await h.store.list({ limit: 100 })).jobs.map((j) => j.id)).toEqual([keep.id]);
    });
  });
}
