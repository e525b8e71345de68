import { vitest } from './vitest.js';
import { claim, insertJob, useStore, type StoreConformanceOptions } from './harness.js';

/** migrate / now / close: what every store does around its real work. */
export function lifecycleTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('lifecycle', () => {
    const h = useStore(options);

    it('describes itself', () => {
      expect(typeof h.store.name).toBe('string');
      expect(h.store.name.length).toBeGreaterThan(0);
      expect(typeof h.store.capabilities.transactions).toBe('boolean');
      expect(typeof h.store.capabilities.push).toBe('boolean');
    });

    it('migrates again, also concurrently, without harm to stored jobs', async () => {
      const job = await insertJob(h.store, {}, h.t0);
      await h.store.migrate();
      await Promise.all([h.store.migrate(), h.store.migrate(), h.store.migrate()]);
      expect(await h.store.get({ id: job.id })).toEqual(job);
    });

    it('reads its clock as epoch milliseconds that do not go backwards', async () => {
      const a = await h.store.now();
      const b = await h.store.now();
      expect(Number.isFinite(a)).toBe(true);
      expect(a).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(b).toBeGreaterThanOrEqual(a);
    });

    it('warms up (when it can) without changing any data, and the hot path works after it', async () => {
      const store = h.store;
      if (!store.warmUp) return; // optional in the contract
      const job = await insertJob(store, {}, h.t0);
      await store.warmUp({ role: 'enqueue' });
      await store.warmUp({ role: 'work' });
      await Promise.all([store.warmUp({ role: 'work' }), store.warmUp({ role: 'enqueue' })]);
      expect(await store.counts({})).toEqual({ pending: 1, active: 0, completed: 0, failed: 0, cancelled: 0 });
      expect(await store.get({ id: job.id })).toEqual(job);
      const next = await insertJob(store, {}, h.t0);
      expect((await claim(store, h.t0 + 1_000)).map((j) => j.id)).toEqual([job.id, next.id]);
      const done = await store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: h.t0 + 2_000 });
      expect(done.settled).toEqual([job.id]);
    });

    it('closes idempotently', async () => {
      await h.store.close();
      await h.store.close();
    });
  });
}
