import { vitest } from './vitest.js';
import { claim, insertJob, insertJobs, ms, newJob, sortedIds, useStore, type StoreConformanceOptions } from './harness.js';

const boom = { name: 'Error', message: 'boom', stack: 'Error: boom\n    at handler' };

/** complete / fail / release: applied only while held for that attempt, in batches. */
export function settleTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('settle', () => {
    const h = useStore(options);

    it('completes a held job with its result', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      const out = await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1, result: { sent: 3 } }], now: h.t0 + 250 });
      expect(out).toEqual({ settled: [job.id], lost: [] });
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'completed', result: { sent: 3 }, attempts: 1, workerId: null, lockedUntil: null });
      expect(ms(stored?.finishedAt)).toBe(h.t0 + 250);
      const [attempt] = await h.store.attempts({ jobId: job.id });
      expect(attempt).toMatchObject({ outcome: 'completed', error: null });
      expect(ms(attempt.finishedAt)).toBe(h.t0 + 250);
    });

    it('keeps results of every JSON type', async () => {
      const results = ['text', 0, 2.5, false, [1, 'a', null], { nested: { ok: true } }];
      const jobs = await insertJobs(h.store, results.map(() => newJob()), h.t0);
      await claim(h.store, h.t0);
      await h.store.complete({ workerId: 'w1', items: jobs.map((j, i) => ({ id: j.id, attempt: 1, result: results[i] })), now: h.t0 + 1 });
      for (let i = 0; i < jobs.length; i++) expect((await h.store.get({ id: jobs[i].id }))?.result).toEqual(results[i]);
    });

    it('stores a missing result as null', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 1 });
      expect((await h.store.get({ id: job.id }))?.result).toBeNull();
    });

    it('reports a settle by another worker, for another attempt, twice, or for a missing job as lost', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      expect(await h.store.complete({ workerId: 'w2', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 1 })).toEqual({ settled: [], lost: [job.id] });
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 2 }], now: h.t0 + 1 })).toEqual({ settled: [], lost: [job.id] });
      expect(
        await h.store.fail({ workerId: 'w1', items: [{ id: job.id, attempt: 2, error: boom, retryDelayMs: null }], now: h.t0 + 1 }),
      ).toEqual({ settled: [], lost: [job.id] });
      expect((await h.store.get({ id: job.id }))?.state).toBe('active');

      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 2 })).toEqual({ settled: [job.id], lost: [] });
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 3 })).toEqual({ settled: [], lost: [job.id] });
      expect(
        await h.store.fail({ workerId: 'w1', items: [{ id: job.id, attempt: 1, error: boom, retryDelayMs: 0 }], now: h.t0 + 3 }),
      ).toEqual({ settled: [], lost: [job.id] });
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: '999999999', attempt: 1 }], now: h.t0 + 3 })).toEqual({
        settled: [],
        lost: ['999999999'],
      });
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'completed', error: null });
      expect(ms(stored?.finishedAt)).toBe(h.t0 + 2);
    });

    it('accepts empty batches', async () => {
      expect(await h.store.complete({ workerId: 'w1', items: [], now: h.t0 })).toEqual({ settled: [], lost: [] });
      expect(await h.store.fail({ workerId: 'w1', items: [], now: h.t0 })).toEqual({ settled: [], lost: [] });
      expect(await h.store.release({ workerId: 'w1', ids: [], now: h.t0 })).toEqual({ released: [] });
    });

    it('does not settle a pending job that was never claimed', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 0 }], now: h.t0 })).toEqual({ settled: [], lost: [job.id] });
      expect((await h.store.get({ id: job.id }))?.state).toBe('pending');
    });

    it('settles a batch, applying held items and reporting the rest lost', async () => {
      const jobs = await insertJobs(h.store, Array.from({ length: 4 }, () => newJob()), h.t0);
      await claim(h.store, h.t0, { workerId: 'w1', limit: 3 });
      const [a, b, c, d] = jobs;
      const done = await h.store.complete({
        workerId: 'w1',
        items: [
          { id: a.id, attempt: 1, result: 'a' },
          { id: d.id, attempt: 1, result: 'd' },
          { id: b.id, attempt: 1, result: 'b' },
        ],
        now: h.t0 + 1,
      });
      expect(sortedIds(done.settled)).toEqual(sortedIds([a, b]));
      expect(done.lost).toEqual([d.id]);
      const failed = await h.store.fail({
        workerId: 'w1',
        items: [
          { id: c.id, attempt: 1, error: boom, retryDelayMs: null },
          { id: a.id, attempt: 1, error: boom, retryDelayMs: null },
        ],
        now: h.t0 + 1,
      });
      expect(failed).toEqual({ settled: [c.id], lost: [a.id] });
      expect((await h.store.get({ id: a.id }))?.result).toBe('a');
      expect((await h.store.get({ id: b.id }))?.result).toBe('b');
      expect((await h.store.get({ id: c.id }))?.state).toBe('failed');
      expect((await h.store.get({ id: d.id }))?.state).toBe('pending');
    });

    it('puts a failed attempt with a retry delay back to pending at now + delay', async () => {
      const job = await insertJob(h.store, { maxAttempts: 3 }, h.t0);
      await claim(h.store, h.t0);
      const out = await h.store.fail({ workerId: 'w1', items: [{ id: job.id, attempt: 1, error: boom, retryDelayMs: 5_000 }], now: h.t0 + 100 });
      expect(out).toEqual({ settled: [job.id], lost: [] });
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'pending', attempts: 1, error: 'boom', workerId: null, lockedUntil: null });
      expect(ms(stored?.runAt)).toBe(h.t0 + 5_100);
      expect(await claim(h.store, h.t0 + 5_099)).toEqual([]);
      const [again] = await claim(h.store, h.t0 + 5_100);
      expect(again).toMatchObject({ id: job.id, attempts: 2, state: 'active' });
      const attempts = await h.store.attempts({ jobId: job.id });
      expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'failed'],
        [2, 'running'],
      ]);
      expect(attempts[0].error).toMatchObject({ name: 'Error', message: 'boom' });
    });

    it('retries at once with a zero delay', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      await h.store.fail({ workerId: 'w1', items: [{ id: job.id, attempt: 1, error: boom, retryDelayMs: 0 }], now: h.t0 + 10 });
      expect(sortedIds(await claim(h.store, h.t0 + 10))).toEqual([job.id]);
    });

    it('fails a job for good when the retry delay is null', async () => {
      const job = await insertJob(h.store, { maxAttempts: 5 }, h.t0);
      await claim(h.store, h.t0);
      await h.store.fail({ workerId: 'w1', items: [{ id: job.id, attempt: 1, error: boom, retryDelayMs: null }], now: h.t0 + 300 });
      const stored = await h.store.get({ id: job.id });
      expect(stored).toMatchObject({ state: 'failed', error: 'boom', attempts: 1, workerId: null, lockedUntil: null });
      expect(ms(stored?.finishedAt)).toBe(h.t0 + 300);
      expect(await claim(h.store, h.t0 + 1_000_000)).toEqual([]);
      const [attempt] = await h.store.attempts({ jobId: job.id });
      expect(attempt).toMatchObject({ outcome: 'failed', error: { name: 'Error', message: 'boom' } });
      expect(attempt.error?.stack).toContain('at handler');
    });

    it('releases held jobs to pending without counting the attempt', async () => {
      const [a, b] = await insertJobs(h.store, [newJob(), newJob()], h.t0);
      await claim(h.store, h.t0, { workerId: 'w1', limit: 1 });
      await claim(h.store, h.t0, { workerId: 'w2', limit: 1 });
      const out = await h.store.release({ workerId: 'w1', ids: [a.id, b.id, '999999999'], now: h.t0 + 50 });
      expect(out.released).toEqual([a.id]);
      const stored = await h.store.get({ id: a.id });
      expect(stored).toMatchObject({ state: 'pending', attempts: 0, workerId: null, lockedUntil: null });
      expect(ms(stored?.runAt)).toBeLessThanOrEqual(h.t0 + 50);
      expect((await h.store.get({ id: b.id }))?.state).toBe('active');
      expect((await h.store.attempts({ jobId: a.id })).map((x) => x.outcome)).toEqual(['released']);

      const [again] = await claim(h.store, h.t0 + 50, { workerId: 'w3' });
      expect(again).toMatchObject({ id: a.id, attempts: 1, workerId: 'w3' });
      expect(await h.store.complete({ workerId: 'w1', items: [{ id: a.id, attempt: 1 }], now: h.t0 + 60 })).toEqual({ settled: [], lost: [a.id] });
      expect(await h.store.complete({ workerId: 'w3', items: [{ id: a.id, attempt: 1 }], now: h.t0 + 60 })).toEqual({ settled: [a.id], lost: [] });
      expect((await h.store.attempts({ jobId: a.id })).map((x) => x.outcome)).toEqual(['released', 'completed']);
    });

    it('releasing does not use up the last attempt', async () => {
      const job = await insertJob(h.store, { maxAttempts: 1 }, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      await h.store.release({ workerId: 'w1', ids: [job.id], now: h.t0 + 1 });
      const [again] = await claim(h.store, h.t0 + 2, { leaseMs: 1_000 });
      expect(again).toMatchObject({ id: job.id, attempts: 1, maxAttempts: 1 });
      // Only the attempt after the release counted, so its stall is the one that uses up the job.
      const { rescued } = await h.store.rescueExpired({ now: h.t0 + 5_000 });
      expect(rescued.map((j) => j.state)).toEqual(['failed']);
    });
  });
}
