import { vitest } from './vitest.js';
import { claim, insertJob, ms, newJob, sortedIds, useStore, type StoreConformanceOptions } from './harness.js';

const missing = '999999999';

/** cancel / retry / promote / remove: the operator's actions on one job. */
export function manageTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('manage', () => {
    const h = useStore(options);

    it('cancels a pending job', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      const cancelled = await h.store.cancel({ id: job.id, now: h.t0 + 10 });
      expect(cancelled).toMatchObject({ id: job.id, state: 'cancelled' });
      expect(ms(cancelled?.finishedAt)).toBe(h.t0 + 10);
      expect((await h.store.get({ id: job.id }))?.state).toBe('cancelled');
      expect(await claim(h.store, h.t0 + 20)).toEqual([]);
    });

    it('cancels an active job: its attempt is recorded cancelled and its worker has lost it', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      const cancelled = await h.store.cancel({ id: job.id, now: h.t0 + 10 });
      expect(cancelled).toMatchObject({ state: 'cancelled', workerId: null, lockedUntil: null });
      expect((await h.store.attempts({ jobId: job.id })).map((a) => a.outcome)).toEqual(['cancelled']);
      expect((await h.store.extendLeases({ workerId: 'w1', ids: [job.id], leaseMs: 1_000, now: h.t0 + 11 })).lost).toEqual([job.id]);
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 12 })).toEqual({ settled: [], lost: [job.id] });
      expect((await h.store.get({ id: job.id }))?.state).toBe('cancelled');
      expect((await h.store.rescueExpired({ now: h.t0 + 1_000_000 })).rescued).toEqual([]);
    });

    it('retries a job cancelled while active, continuing its attempt count', async () => {
      const job = await insertJob(h.store, { maxAttempts: 1 }, h.t0);
      await claim(h.store, h.t0);
      await h.store.cancel({ id: job.id, now: h.t0 + 1 });
      expect(await h.store.retry({ id: job.id, attempts: 1, now: h.t0 + 2 })).toMatchObject({ state: 'pending', attempts: 1, maxAttempts: 2 });
      const [again] = await claim(h.store, h.t0 + 2, { workerId: 'w2' });
      expect(again).toMatchObject({ id: job.id, attempts: 2, workerId: 'w2' });
      expect(ms(again.startedAt)).toBe(h.t0 + 2);
      expect((await h.store.attempts({ jobId: job.id })).map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'cancelled'],
        [2, 'running'],
      ]);
    });

    it('returns terminal jobs unchanged from cancel, and null for a missing job', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1, result: 1 }], now: h.t0 + 1 });
      const after = await h.store.cancel({ id: job.id, now: h.t0 + 2 });
      expect(after).toMatchObject({ state: 'completed', result: 1 });
      expect(ms(after?.finishedAt)).toBe(h.t0 + 1);
      expect(await h.store.cancel({ id: missing, now: h.t0 })).toBeNull();
    });

    it('retries a failed job with more attempts, runnable at now', async () => {
      const job = await insertJob(h.store, { maxAttempts: 1, runAt: new Date(h.t0) }, h.t0);
      await claim(h.store, h.t0);
      await h.store.fail({
        workerId: 'w1',
        items: [{ id: job.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
        now: h.t0 + 1,
      });
      const retried = await h.store.retry({ id: job.id, attempts: 2, now: h.t0 + 1_000 });
      expect(retried).toMatchObject({ id: job.id, state: 'pending', attempts: 1, maxAttempts: 3 });
      expect(ms(retried?.runAt)).toBe(h.t0 + 1_000);
      expect(await claim(h.store, h.t0 + 999)).toEqual([]);
      const [again] = await claim(h.store, h.t0 + 1_000);
      expect(again).toMatchObject({ id: job.id, attempts: 2, maxAttempts: 3 });
    });

    it('retries cancelled and completed jobs too', async () => {
      const cancelled = await insertJob(h.store, { maxAttempts: 2 }, h.t0);
      await h.store.cancel({ id: cancelled.id, now: h.t0 });
      expect(await h.store.retry({ id: cancelled.id, attempts: 1, now: h.t0 + 1 })).toMatchObject({ state: 'pending', maxAttempts: 1 });

      const completed = await insertJob(h.store, { name: 'conf-other' }, h.t0);
      await claim(h.store, h.t0, { names: ['conf-other'] });
      await h.store.complete({ workerId: 'w1', items: [{ id: completed.id, attempt: 1 }], now: h.t0 + 1 });
      const retried = await h.store.retry({ id: completed.id, attempts: 3, now: h.t0 + 2 });
      expect(retried).toMatchObject({ state: 'pending', attempts: 1, maxAttempts: 4 });
      expect(retried?.finishedAt ?? null).toBeNull();
    });

    it('returns pending and active jobs unchanged from retry, and null for a missing job', async () => {
      const pending = await insertJob(h.store, { maxAttempts: 2, runAt: new Date(h.t0 + 60_000) }, h.t0);
      const same = await h.store.retry({ id: pending.id, attempts: 5, now: h.t0 });
      expect(same).toMatchObject({ state: 'pending', maxAttempts: 2 });
      expect(ms(same?.runAt)).toBe(h.t0 + 60_000);

      const active = await insertJob(h.store, { name: 'conf-other', maxAttempts: 2 }, h.t0);
      await claim(h.store, h.t0, { names: ['conf-other'] });
      expect(await h.store.retry({ id: active.id, attempts: 5, now: h.t0 })).toMatchObject({ state: 'active', maxAttempts: 2, attempts: 1 });
      expect(await h.store.retry({ id: missing, attempts: 1, now: h.t0 })).toBeNull();
    });

    it('promotes a delayed job to run now', async () => {
      const job = await insertJob(h.store, { delayMs: 3_600_000 }, h.t0);
      expect(await claim(h.store, h.t0 + 10)).toEqual([]);
      const promoted = await h.store.promote({ id: job.id, now: h.t0 + 10 });
      expect(promoted).toMatchObject({ id: job.id, state: 'pending' });
      expect(ms(promoted?.runAt)).toBeLessThanOrEqual(h.t0 + 10);
      expect(sortedIds(await claim(h.store, h.t0 + 10))).toEqual([job.id]);
    });

    it('returns non-pending jobs unchanged from promote, and null for a missing job', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      expect(await h.store.promote({ id: job.id, now: h.t0 + 5 })).toMatchObject({ state: 'active', attempts: 1 });
      expect(await h.store.promote({ id: missing, now: h.t0 })).toBeNull();
    });

    it('removes a job and its history', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      expect(await h.store.remove({ id: job.id })).toBe(true);
      expect(await h.store.get({ id: job.id })).toBeNull();
      expect(await h.store.attempts({ jobId: job.id })).toEqual([]);
      expect((await h.store.extendLeases({ workerId: 'w1', ids: [job.id], leaseMs: 1_000, now: h.t0 + 1 })).lost).toEqual([job.id]);
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 1 })).toEqual({ settled: [], lost: [job.id] });
      expect(await h.store.remove({ id: job.id })).toBe(false);
      expect(await h.store.get({ id: missing })).toBeNull();
    });

    it('frees the key of a removed job', async () => {
      const job = await insertJob(h.store, { key: 'gone' }, h.t0);
      await h.store.remove({ id: job.id });
      const [again] = await h.store.insert({ jobs: [newJob({ key: 'gone' })], now: h.t0 });
      expect(again.deduplicated).toBe(false);
    });
  });
}

