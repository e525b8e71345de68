import { vitest } from './vitest.js';
import { compareIds, claim, insertJob, insertJobs, ms, newJob, useStore, type StoreConformanceOptions } from './harness.js';

/** insert: the stored shape, run times, ids, and at most one live job per (name, key). */
export function insertAndDedupTests(options: StoreConformanceOptions): void {
  const { describe, expect, it } = vitest();
  describe('insert and dedup', () => {
    const h = useStore(options);

    it('stores a pending job with every field as given', async () => {
      const payload = { to: 'a@example.com', nested: { list: [1, 'two', null, true] } };
      const job = await insertJob(
        h.store,
        { name: 'conf-job', queue: 'mail', payload, priority: 7, maxAttempts: 4, tenant: 'acme', key: 'k1', meta: { source: 'test' } },
        h.t0,
      );
      expect(job).toMatchObject({
        name: 'conf-job',
        queue: 'mail',
        state: 'pending',
        payload,
        result: null,
        error: null,
        attempts: 0,
        maxAttempts: 4,
        priority: 7,
        key: 'k1',
        tenant: 'acme',
        progress: null,
        workerId: null,
        lockedUntil: null,
        startedAt: null,
        finishedAt: null,
        meta: { source: 'test' },
      });
      expect(job.id).toMatch(/^[0-9]+$/);
      expect(ms(job.runAt)).toBe(h.t0);
      expect(ms(job.createdAt)).toBe(h.t0);
      const fetched = await h.store.get({ id: job.id });
      expect(fetched).toEqual(job);
    });

    it('defaults optional fields to null', async () => {
      const job = await insertJob(h.store, { payload: null }, h.t0);
      expect(job).toMatchObject({ key: null, tenant: null, meta: null, payload: null });
    });

    it('keeps payloads of every JSON type', async () => {
      const payloads = ['text', 42, 1.5, true, null, [1, { a: 'b' }], { deep: { er: { still: ['x'] } } }];
      const jobs = await insertJobs(h.store, payloads.map((payload) => newJob({ payload })), h.t0);
      for (let i = 0; i < payloads.length; i++) {
        expect(jobs[i].payload).toEqual(payloads[i]);
        expect((await h.store.get({ id: jobs[i].id }))?.payload).toEqual(payloads[i]);
      }
    });

    it('sets runAt from runAt, from delayMs, or to now', async () => {
      const [now, delayed, at] = await insertJobs(
        h.store,
        [newJob(), newJob({ delayMs: 5_000 }), newJob({ runAt: new Date(h.t0 + 60_000) })],
        h.t0,
      );
      expect(ms(now.runAt)).toBe(h.t0);
      expect(ms(delayed.runAt)).toBe(h.t0 + 5_000);
      expect(ms(at.runAt)).toBe(h.t0 + 60_000);
    });

    it('gives ids that grow with insertion order and returns results in input order', async () => {
      const batch = await insertJobs(h.store, Array.from({ length: 20 }, (_, i) => newJob({ payload: { i } })), h.t0);
      const next = await insertJob(h.store, { payload: { i: 20 } }, h.t0);
      const all = [...batch, next];
      all.forEach((job, i) => expect(job.payload).toEqual({ i }));
      for (let i = 1; i < all.length; i++) expect(compareIds(all[i - 1].id, all[i].id)).toBe(-1);
      expect(new Set(all.map((j) => j.id)).size).toBe(all.length);
    });

    it('never reuses the id of a removed job', async () => {
      const first = await insertJob(h.store, {}, h.t0);
      const last = await insertJob(h.store, {}, h.t0);
      await h.store.remove({ id: last.id });
      await h.store.remove({ id: first.id });
      const next = await insertJob(h.store, {}, h.t0);
      expect(compareIds(next.id, last.id)).toBe(1);
    });

    it('returns an empty result for an empty batch', async () => {
      expect(await h.store.insert({ jobs: [], now: h.t0 })).toEqual([]);
    });

    it('returns the live job for a second insert with the same (name, key)', async () => {
      const [first] = await h.store.insert({ jobs: [newJob({ key: 'same', payload: { v: 1 } })], now: h.t0 });
      const [second] = await h.store.insert({ jobs: [newJob({ key: 'same', payload: { v: 2 } })], now: h.t0 + 1 });
      expect(first.deduplicated).toBe(false);
      expect(second.deduplicated).toBe(true);
      expect(second.job.id).toBe(first.job.id);
      expect(second.job.payload).toEqual({ v: 1 });
      expect((await h.store.counts({})).pending).toBe(1);
    });

    it('deduplicates against an active job too', async () => {
      const first = await insertJob(h.store, { key: 'busy' }, h.t0);
      await claim(h.store, h.t0);
      const [again] = await h.store.insert({ jobs: [newJob({ key: 'busy' })], now: h.t0 + 1 });
      expect(again).toMatchObject({ deduplicated: true, job: { id: first.id, state: 'active' } });
    });

    it('deduplicates within one batch', async () => {
      const results = await h.store.insert({
        jobs: [newJob({ key: 'b' }), newJob({ key: 'b' }), newJob({ key: 'c' })],
        now: h.t0,
      });
      expect(results.map((r) => r.deduplicated)).toEqual([false, true, false]);
      expect(results[1].job.id).toBe(results[0].job.id);
      expect(results[2].job.id).not.toBe(results[0].job.id);
    });

    it('scopes keys by job name', async () => {
      const a = await insertJob(h.store, { name: 'conf-job', key: 'k' }, h.t0);
      const [b] = await h.store.insert({ jobs: [newJob({ name: 'conf-other', key: 'k' })], now: h.t0 });
      expect(b.deduplicated).toBe(false);
      expect(b.job.id).not.toBe(a.id);
    });

    it('lets the key be reused once the job is terminal (no window)', async () => {
      for (const end of ['completed', 'failed', 'cancelled'] as const) {
        const key = 'reuse';
        const name = `conf-reuse-${end}`;
        const first = await insertJob(h.store, { name, key, maxAttempts: 1 }, h.t0);
        if (end === 'cancelled') {
          await h.store.cancel({ id: first.id, now: h.t0 + 1 });
        } else {
          const [held] = await claim(h.store, h.t0 + 1, { names: [name], limit: 1 });
          expect(held.id).toBe(first.id);
          if (end === 'completed') {
            await h.store.complete({ workerId: 'w1', items: [{ id: held.id, attempt: 1 }], now: h.t0 + 2 });
          } else {
            await h.store.fail({
              workerId: 'w1',
              items: [{ id: held.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
              now: h.t0 + 2,
            });
          }
        }
        expect((await h.store.get({ id: first.id }))?.state).toBe(end);
        const [again] = await h.store.insert({ jobs: [newJob({ name, key })], now: h.t0 + 3 });
        expect(again.deduplicated).toBe(false);
        expect(again.job.id).not.toBe(first.id);
      }
    });

    it('keeps the key for keyWindowMs after completion', async () => {
      const first = await insertJob(h.store, { key: 'win', keyWindowMs: 10_000 }, h.t0);
      await claim(h.store, h.t0);
      await h.store.complete({ workerId: 'w1', items: [{ id: first.id, attempt: 1 }], now: h.t0 + 100 });

      const [inside] = await h.store.insert({ jobs: [newJob({ key: 'win', keyWindowMs: 10_000 })], now: h.t0 + 5_000 });
      expect(inside).toMatchObject({ deduplicated: true, job: { id: first.id, state: 'completed' } });

      const [after] = await h.store.insert({ jobs: [newJob({ key: 'win', keyWindowMs: 10_000 })], now: h.t0 + 20_000 });
      expect(after.deduplicated).toBe(false);
      expect(after.job.id).not.toBe(first.id);
    });

    it('keeps no window for failed or cancelled jobs', async () => {
      const failed = await insertJob(h.store, { name: 'conf-f', key: 'w', keyWindowMs: 60_000, maxAttempts: 1 }, h.t0);
      await claim(h.store, h.t0, { names: ['conf-f'] });
      await h.store.fail({
        workerId: 'w1',
        items: [{ id: failed.id, attempt: 1, error: { name: 'Error', message: 'x' }, retryDelayMs: null }],
        now: h.t0 + 1,
      });
      const cancelled = await insertJob(h.store, { name: 'conf-c', key: 'w', keyWindowMs: 60_000 }, h.t0);
      await h.store.cancel({ id: cancelled.id, now: h.t0 + 1 });
      const results = await h.store.insert({
        jobs: [newJob({ name: 'conf-f', key: 'w', keyWindowMs: 60_000 }), newJob({ name: 'conf-c', key: 'w', keyWindowMs: 60_000 })],
        now: h.t0 + 2,
      });
      expect(results.map((r) => r.deduplicated)).toEqual([false, false]);
    });

    it('gives distinct ids to concurrent inserts without keys', async () => {
      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, w) => insertJobs(h.store, Array.from({ length: 50 }, (_, i) => newJob({ payload: { w, i } })), h.t0)),
      );
      const ids = batches.flat().map((j) => j.id);
      expect(new Set(ids).size).toBe(400);
      expect((await h.store.counts({})).pending).toBe(400);
    });

    it('under concurrent inserts with one key, creates exactly one job and returns it to everyone', async () => {
      const callers = 10;
      const results = await Promise.all(
        Array.from({ length: callers }, (_, i) =>
          h.store.insert({ jobs: [newJob({ key: 'race', payload: { i } })], now: h.t0 }).then((r) => r[0]),
        ),
      );
      expect(results.filter((r) => !r.deduplicated)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
      expect((await h.store.counts({})).pending).toBe(1);
    });
  });
}
