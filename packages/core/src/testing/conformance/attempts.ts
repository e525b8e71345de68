import { vitest } from './vitest.js';
import { claim, insertJob, ms, useStore, type StoreConformanceOptions } from './harness.js';

/** Attempt history: one record per attempt, oldest first, with logs and errors. */
export function attemptsTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('attempts', () => {
    const h = useStore(options);

    it('keeps every attempt with its worker, times, outcome, error and logs', async () => {
      const job = await insertJob(h.store, { maxAttempts: 3 }, h.t0);
      await claim(h.store, h.t0, { workerId: 'w1' });
      await h.store.fail({
        workerId: 'w1',
        items: [
          {
            id: job.id,
            attempt: 1,
            error: { name: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at x' },
            retryDelayMs: 1_000,
            logs: [
              { at: new Date(h.t0 + 10), message: 'starting' },
              { at: new Date(h.t0 + 20), message: 'about to fail' },
            ],
          },
        ],
        now: h.t0 + 100,
      });
      await claim(h.store, h.t0 + 1_100, { workerId: 'w2' });
      await h.store.complete({
        workerId: 'w2',
        items: [{ id: job.id, attempt: 2, result: 'ok', logs: [{ at: new Date(h.t0 + 1_150), message: 'done ✓ "quoted"' }] }],
        now: h.t0 + 1_200,
      });

      const history = await h.store.attempts({ jobId: job.id });
      expect(history).toHaveLength(2);
      const [first, second] = history;
      expect(first).toMatchObject({ jobId: job.id, attempt: 1, workerId: 'w1', outcome: 'failed' });
      expect(first.error).toMatchObject({ name: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at x' });
      expect([ms(first.startedAt), ms(first.finishedAt)]).toEqual([h.t0, h.t0 + 100]);
      expect(first.logs.map((l) => [ms(l.at), l.message])).toEqual([
        [h.t0 + 10, 'starting'],
        [h.t0 + 20, 'about to fail'],
      ]);
      expect(second).toMatchObject({ jobId: job.id, attempt: 2, workerId: 'w2', outcome: 'completed', error: null });
      expect([ms(second.startedAt), ms(second.finishedAt)]).toEqual([h.t0 + 1_100, h.t0 + 1_200]);
      expect(second.logs.map((l) => [ms(l.at), l.message])).toEqual([[h.t0 + 1_150, 'done ✓ "quoted"']]);
    });

    it('returns an empty history for a job never claimed and for a missing job', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      expect(await h.store.attempts({ jobId: job.id })).toEqual([]);
      expect(await h.store.attempts({ jobId: '999999999' })).toEqual([]);
    });

    it('keeps histories of different jobs apart', async () => {
      const a = await insertJob(h.store, {}, h.t0);
      const b = await insertJob(h.store, {}, h.t0);
      await claim(h.store, h.t0);
      await h.store.complete({ workerId: 'w1', items: [{ id: a.id, attempt: 1, logs: [{ at: new Date(h.t0), message: 'a' }] }], now: h.t0 + 1 });
      await h.store.complete({ workerId: 'w1', items: [{ id: b.id, attempt: 1, logs: [{ at: new Date(h.t0), message: 'b' }] }], now: h.t0 + 1 });
      expect((await h.store.attempts({ jobId: a.id })).flatMap((x) => x.logs.map((l) => l.message))).toEqual(['a']);
      expect((await h.store.attempts({ jobId: b.id })).flatMap((x) => x.logs.map((l) => l.message))).toEqual(['b']);
    });

    it('records released, stalled and cancelled outcomes in order', async () => {
      const job = await insertJob(h.store, { maxAttempts: 5 }, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      await h.store.release({ workerId: 'w1', ids: [job.id], now: h.t0 + 10 });
      await claim(h.store, h.t0 + 20, { leaseMs: 1_000 });
      await h.store.rescueExpired({ now: h.t0 + 5_000 });
      await claim(h.store, h.t0 + 5_000, { leaseMs: 1_000 });
      await h.store.cancel({ id: job.id, now: h.t0 + 5_100 });
      const history = await h.store.attempts({ jobId: job.id });
      expect(history.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'released'],
        [1, 'stalled'],
        [2, 'cancelled'],
      ]);
      expect(history.map((a) => ms(a.finishedAt))).toEqual([h.t0 + 10, h.t0 + 5_000, h.t0 + 5_100]);
    });

    it('lists a completed attempt after a released one with the same number', async () => {
      const job = await insertJob(h.store, { maxAttempts: 3 }, h.t0);
      await claim(h.store, h.t0, { workerId: 'w1' });
      await h.store.release({ workerId: 'w1', ids: [job.id], now: h.t0 + 10 });
      await claim(h.store, h.t0 + 20, { workerId: 'w2' });
      await h.store.complete({ workerId: 'w2', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 30 });
      const history = await h.store.attempts({ jobId: job.id });
      expect(history.map((a) => [a.attempt, a.outcome, a.workerId])).toEqual([
        [1, 'released', 'w1'],
        [1, 'completed', 'w2'],
      ]);
      expect((await h.store.get({ id: job.id }))?.workerId).toBeNull();
    });

    it('keeps a completed attempt in the history when the job is retried and completes again', async () => {
      const job = await insertJob(h.store, { maxAttempts: 1 }, h.t0);
      await claim(h.store, h.t0, { workerId: 'w1' });
      await h.store.complete({
        workerId: 'w1',
        items: [{ id: job.id, attempt: 1, logs: [{ at: new Date(h.t0 + 5), message: 'first run' }] }],
        now: h.t0 + 10,
      });
      await h.store.retry({ id: job.id, attempts: 1, now: h.t0 + 100 });
      expect((await h.store.attempts({ jobId: job.id })).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'completed']]);
      await claim(h.store, h.t0 + 200, { workerId: 'w2' });
      await h.store.complete({ workerId: 'w2', items: [{ id: job.id, attempt: 2 }], now: h.t0 + 210 });
      const history = await h.store.attempts({ jobId: job.id });
      expect(history.map((a) => [a.attempt, a.outcome, a.workerId, ms(a.startedAt), ms(a.finishedAt)])).toEqual([
        [1, 'completed', 'w1', h.t0, h.t0 + 10],
        [2, 'completed', 'w2', h.t0 + 200, h.t0 + 210],
      ]);
      expect(history[0].logs.map((l) => l.message)).toEqual(['first run']);
      expect(history[1].logs).toEqual([]);
      const m = await h.store.metrics({ from: h.t0, to: h.t0 + 1_000 });
      expect(m).toMatchObject({ completed: 2, failed: 0 });
      expect(m.avgDurationMs).toBeCloseTo(10, 3);
    });
  });
}
