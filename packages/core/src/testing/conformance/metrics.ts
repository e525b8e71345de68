import { vitest } from './vitest.js';
import { claim, insertJob, useStore, type StoreConformanceOptions } from './harness.js';

/** metrics: completed and failed attempts finished within a window, and their mean duration. */
export function metricsTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('metrics', () => {
    const h = useStore(options);

    /** Run one attempt of a fresh job from `start` to `end`, completing or failing it. */
    async function attempt(opts: { name?: string; queue?: string; tenant?: string; start: number; end: number; ok: boolean }) {
      const name = opts.name ?? 'conf-job';
      const job = await insertJob(h.store, { name, queue: opts.queue ?? 'default', tenant: opts.tenant ?? null }, opts.start);
      const [held] = await claim(h.store, opts.start, { names: [name], limit: 1 });
      expect(held.id).toBe(job.id);
      if (opts.ok) await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: opts.end });
      else
        await h.store.fail({
          workerId: 'w1',
          items: [{ id: job.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
          now: opts.end,
        });
    }

    it('counts attempts finished in the window and averages their duration', async () => {
      const t = h.t0;
      await attempt({ start: t, end: t + 100, ok: true });
      await attempt({ start: t + 1_000, end: t + 1_300, ok: true });
      await attempt({ start: t + 2_000, end: t + 2_200, ok: false });
      // Outside the window on either side.
      await attempt({ start: t - 60_000, end: t - 50_000, ok: true });
      await attempt({ start: t + 100_000, end: t + 110_000, ok: false });

      const m = await h.store.metrics({ from: t, to: t + 10_000 });
      expect(m.completed).toBe(2);
      expect(m.failed).toBe(1);
      expect(m.avgDurationMs).toBeCloseTo(200, 3);
    });

    it('reports zeros and a null mean for an empty window', async () => {
      await attempt({ start: h.t0, end: h.t0 + 10, ok: true });
      expect(await h.store.metrics({ from: h.t0 + 1_000, to: h.t0 + 2_000 })).toEqual({ completed: 0, failed: 0, avgDurationMs: null });
    });

    it('filters by name, queue and tenant', async () => {
      const t = h.t0;
      await attempt({ name: 'conf-a', queue: 'q1', tenant: 't1', start: t, end: t + 10, ok: true });
      await attempt({ name: 'conf-a', queue: 'q2', tenant: 't2', start: t, end: t + 30, ok: false });
      await attempt({ name: 'conf-b', queue: 'q1', tenant: 't2', start: t, end: t + 50, ok: true });
      const window = { from: t, to: t + 1_000 };
      expect(await h.store.metrics({ ...window, name: 'conf-a' })).toMatchObject({ completed: 1, failed: 1 });
      expect((await h.store.metrics({ ...window, name: 'conf-a' })).avgDurationMs).toBeCloseTo(20, 3);
      expect(await h.store.metrics({ ...window, queue: 'q1' })).toMatchObject({ completed: 2, failed: 0 });
      expect(await h.store.metrics({ ...window, tenant: 't2' })).toMatchObject({ completed: 1, failed: 1 });
      expect(await h.store.metrics({ ...window, name: 'conf-b', tenant: 't1' })).toEqual({ completed: 0, failed: 0, avgDurationMs: null });
    });

    it('leaves released, stalled and cancelled attempts out', async () => {
      const job = await insertJob(h.store, { maxAttempts: 5 }, h.t0);
      await claim(h.store, h.t0, { leaseMs: 1_000 });
      await h.store.release({ workerId: 'w1', ids: [job.id], now: h.t0 + 10 });
      await claim(h.store, h.t0 + 10, { leaseMs: 1_000 });
      await h.store.rescueExpired({ now: h.t0 + 2_000 });
      await claim(h.store, h.t0 + 2_000, { leaseMs: 1_000 });
      await h.store.cancel({ id: job.id, now: h.t0 + 2_100 });
      expect(await h.store.metrics({ from: h.t0, to: h.t0 + 10_000 })).toEqual({ completed: 0, failed: 0, avgDurationMs: null });
    });

    it('counts each attempt of a retried job', async () => {
      const job = await insertJob(h.store, { maxAttempts: 3 }, h.t0);
      await claim(h.store, h.t0);
      await h.store.fail({
        workerId: 'w1',
        items: [{ id: job.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: 0 }],
        now: h.t0 + 40,
      });
      await claim(h.store, h.t0 + 100);
      await h.store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 2 }], now: h.t0 + 160 });
      const m = await h.store.metrics({ from: h.t0, to: h.t0 + 1_000 });
      expect(m).toMatchObject({ completed: 1, failed: 1 });
      expect(m.avgDurationMs).toBeCloseTo(50, 3);
    });
  });
}
