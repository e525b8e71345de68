import { vitest } from './vitest.js';
import { insertJob, useStore, type StoreConformanceOptions } from './harness.js';

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

    it('closes idempotently', async () => {
      await h.store.close();
      await h.store.close();
    });
  });
}
