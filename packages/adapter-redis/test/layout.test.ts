import { afterEach, describe, expect, it } from 'vitest';
import type { RedisStore } from '../src/index.js';
import { dropKeys, freshStore } from './helpers.js';

// What the hot path leaves out of the job hash (see lua/includes/lib.lua) must not show: a completed
// job writes no aOutcome / aWorker and keeps its workerId and lockedUntil fields, and readers still
// see the same records. Data written before that (aWorker set, workerId cleared) still reads right.
describe('job hash layout', () => {
  let store: RedisStore;
  afterEach(async () => {
    await store.close();
    await dropKeys(store.keys.base);
  });

  const job = { name: 'x', queue: 'q', payload: { n: 1 }, priority: 2, maxAttempts: 3, tenant: 't1', key: 'k1', meta: { m: true } };

  it('a claimed job reads the same from the claim reply and from get()', async () => {
    store = await freshStore('layout-claim');
    await store.insert({ jobs: [job], now: 1_000 });
    const [claimed] = await store.claim({ workerId: 'w', names: ['x'], limit: 5, leaseMs: 500, now: 2_000 });
    expect(claimed).toEqual(await store.get({ id: claimed.id }));
    expect(claimed).toMatchObject({ state: 'active', priority: 2, tenant: 't1', key: 'k1', meta: { m: true }, workerId: 'w', attempts: 1 });
    expect(claimed.lockedUntil?.getTime()).toBe(2_500);
  });

  it('a priority of 0 reads back as 0, not -0', async () => {
    store = await freshStore('layout-zero');
    await store.insert({ jobs: [{ ...job, priority: 0 }], now: 1_000 });
    const [claimed] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 500, now: 2_000 });
    expect(Object.is(claimed.priority, 0)).toBe(true);
  });

  it('a completed job shows no worker or lease, and its final attempt names the worker', async () => {
    store = await freshStore('layout-complete');
    const [{ job: j }] = await store.insert({ jobs: [job], now: 1_000 });
    await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 500, now: 2_000 });
    await store.complete({ workerId: 'w', items: [{ id: j.id, attempt: 1, result: null, logs: [] }], now: 2_100 });
    const raw = await store.redis.hgetall(store.keys.job(j.id));
    expect(raw.aOutcome).toBeUndefined();
    expect(await store.get({ id: j.id })).toMatchObject({ state: 'completed', workerId: null, lockedUntil: null, result: null });
    expect(await store.attempts({ jobId: j.id })).toEqual([
      { jobId: j.id, attempt: 1, workerId: 'w', startedAt: new Date(2_000), finishedAt: new Date(2_100), outcome: 'completed', error: null, logs: [] },
    ]);
  });

  it('a result from an earlier run is replaced when the retried job completes without one', async () => {
    store = await freshStore('layout-result');
    const [{ job: j }] = await store.insert({ jobs: [job], now: 1_000 });
    await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 500, now: 2_000 });
    await store.complete({ workerId: 'w', items: [{ id: j.id, attempt: 1, result: { first: true }, logs: [] }], now: 2_100 });
    await store.retry({ id: j.id, attempts: 1, now: 3_000 });
    await store.claim({ workerId: 'w2', names: ['x'], limit: 1, leaseMs: 500, now: 3_000 });
    await store.complete({ workerId: 'w2', items: [{ id: j.id, attempt: 2, result: undefined, logs: [] }], now: 3_100 });
    expect((await store.get({ id: j.id }))?.result).toBeNull();
    const history = await store.attempts({ jobId: j.id });
    expect(history.map((a) => [a.attempt, a.outcome, a.workerId])).toEqual([
      [1, 'completed', 'w'],
      [2, 'completed', 'w2'],
    ]);
  });

  it('reads and retries jobs finished under the earlier layout (aOutcome, aWorker, empty workerId)', async () => {
    store = await freshStore('layout-old');
    const [{ job: j }] = await store.insert({ jobs: [job], now: 1_000 });
    await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 500, now: 2_000 });
    await store.complete({ workerId: 'w', items: [{ id: j.id, attempt: 1, result: null, logs: [] }], now: 2_100 });
    // What complete wrote before: the final attempt's worker in aWorker, workerId and lockedUntil cleared.
    await store.redis.hset(store.keys.job(j.id), 'aOutcome', 'completed', 'aWorker', 'old', 'aError', '', 'aLogs', '', 'workerId', '', 'lockedUntil', '');
    expect(await store.get({ id: j.id })).toMatchObject({ state: 'completed', workerId: null, lockedUntil: null });
    expect((await store.attempts({ jobId: j.id })).map((a) => [a.attempt, a.outcome, a.workerId])).toEqual([[1, 'completed', 'old']]);
    await store.retry({ id: j.id, attempts: 1, now: 3_000 });
    expect((await store.attempts({ jobId: j.id })).map((a) => [a.attempt, a.outcome, a.workerId])).toEqual([[1, 'completed', 'old']]);
  });
});

describe('complete with mixed items', () => {
  it('settles plain items and items with results or logs in one call, and reports the lost ones by id', async () => {
    const store = await freshStore('layout-mixed');
    try {
      const jobs = Array.from({ length: 6 }, (_, i) => ({ name: 'x', queue: 'q', payload: i, priority: 0, maxAttempts: 1 }));
      await store.insert({ jobs, now: 1_000 });
      const held = await store.claim({ workerId: 'w', names: ['x'], limit: 6, leaseMs: 500, now: 2_000 });
      const logs = [{ at: new Date(2_050), message: 'hi' }];
      const { settled, lost } = await store.complete({
        workerId: 'w',
        now: 2_100,
        items: [
          { id: held[0].id, attempt: 1, result: undefined, logs: [] },
          { id: held[1].id, attempt: 1, result: { r: 1 }, logs: [] },
          { id: held[2].id, attempt: 9, result: null, logs: [] }, // wrong attempt: lost
          { id: held[3].id, attempt: 1, result: null, logs },
          { id: held[4].id, attempt: 2, result: 'x', logs }, // wrong attempt: lost
          { id: held[5].id, attempt: 1, result: null, logs: [] },
        ],
      });
      expect(settled).toEqual([held[0].id, held[1].id, held[3].id, held[5].id]);
      expect(lost).toEqual([held[2].id, held[4].id]);
      expect((await store.get({ id: held[1].id }))?.result).toEqual({ r: 1 });
      expect((await store.attempts({ jobId: held[3].id }))[0].logs).toEqual([{ at: new Date(2_050), message: 'hi' }]);
      expect((await store.get({ id: held[2].id }))?.state).toBe('active');
    } finally {
      await store.close();
      await dropKeys(store.keys.base);
    }
  });
});

// The claim writes what settling needs into P.."run" (one entry per running attempt); complete
// reads it for the whole batch. These check the entry lives exactly as long as the attempt, and
// that attempts without one (claimed by an earlier version) still settle the same way.
describe('running-attempt entries (P.."run")', () => {
  let store: RedisStore;
  afterEach(async () => {
    await store.close();
    await dropKeys(store.keys.base);
  });
  const runKey = () => store.keys.key('run');
  const jobs = (n: number, extra: object = {}) => Array.from({ length: n }, (_, i) => ({ name: 'x', queue: 'q', payload: i, priority: 0, maxAttempts: 2, tenant: 't', ...extra }));

  it('exist while jobs are active and go when they complete, fail, are released, rescued, cancelled or removed', async () => {
    store = await freshStore('run-life');
    await store.insert({ jobs: jobs(6), now: 1_000 });
    const held = await store.claim({ workerId: 'w', names: ['x'], limit: 6, leaseMs: 500, now: 2_000 });
    expect(await store.redis.hlen(runKey())).toBe(6);
    const [a, b, c, d, e, f] = held;
    await store.complete({ workerId: 'w', items: [{ id: a.id, attempt: 1, result: null, logs: [] }], now: 2_100 });
    await store.fail({ workerId: 'w', items: [{ id: b.id, attempt: 1, error: { name: 'E', message: 'm', stack: null }, retryDelayMs: null, logs: [] }], now: 2_100 });
    await store.release({ workerId: 'w', ids: [c.id], now: 2_100 });
    await store.cancel({ id: d.id, now: 2_100 });
    await store.remove({ id: e.id });
    expect((await store.redis.hkeys(runKey())).sort()).toEqual([f.id]);
    await store.rescueExpired({ now: 3_000 });
    expect(await store.redis.hlen(runKey())).toBe(0);
  });

  it('settle attempts claimed before the entries existed, with the same counts and metrics', async () => {
    store = await freshStore('run-old');
    await store.insert({ jobs: jobs(3), now: 1_000 });
    const held = await store.claim({ workerId: 'w', names: ['x'], limit: 3, leaseMs: 60_000, now: 2_000 });
    // As an earlier version left them: no run entries.
    await store.redis.del(runKey());
    const { settled, lost } = await store.complete({
      workerId: 'w',
      now: 2_500,
      items: [
        { id: held[0].id, attempt: 1, result: null, logs: [] },
        { id: held[1].id, attempt: 2, result: null, logs: [] }, // wrong attempt: lost
        { id: held[2].id, attempt: 1, result: { ok: 1 }, logs: [] },
      ],
    });
    expect(settled).toEqual([held[0].id, held[2].id]);
    expect(lost).toEqual([held[1].id]);
    expect(await store.counts({})).toMatchObject({ active: 1, completed: 2 });
    expect(await store.metrics({ from: 0, to: 10_000 })).toEqual({ completed: 2, failed: 0, avgDurationMs: 500 });
    expect((await store.get({ id: held[2].id }))?.result).toEqual({ ok: 1 });
  });

  it('an attempt listed twice in one call settles once', async () => {
    store = await freshStore('run-twice');
    await store.insert({ jobs: jobs(1), now: 1_000 });
    const [j] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 60_000, now: 2_000 });
    const item = { id: j.id, attempt: 1, result: null, logs: [] };
    const { settled, lost } = await store.complete({ workerId: 'w', items: [item, item], now: 2_100 });
    expect(settled).toEqual([j.id]);
    expect(lost).toEqual([j.id]);
    expect(await store.counts({})).toMatchObject({ active: 0, completed: 1 });
    expect((await store.metrics({ from: 0, to: 10_000 })).completed).toBe(1);
  });

  it('an entry names the worker: another worker cannot complete the attempt', async () => {
    store = await freshStore('run-worker');
    await store.insert({ jobs: jobs(1), now: 1_000 });
    const [j] = await store.claim({ workerId: 'w1', names: ['x'], limit: 1, leaseMs: 60_000, now: 2_000 });
    const { lost } = await store.complete({ workerId: 'w2', items: [{ id: j.id, attempt: 1, result: null, logs: [] }], now: 2_100 });
    expect(lost).toEqual([j.id]);
    expect((await store.get({ id: j.id }))?.state).toBe('active');
  });

  it('a job with an idempotency key keeps it for its window when it completes from an entry', async () => {
    store = await freshStore('run-key');
    await store.insert({ jobs: [{ ...jobs(1)[0], key: 'k', keyWindowMs: 5_000 }], now: 1_000 });
    const [j] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 60_000, now: 2_000 });
    await store.complete({ workerId: 'w', items: [{ id: j.id, attempt: 1, result: null, logs: [] }], now: 2_100 });
    expect(await store.redis.hget(store.keys.job(j.id), 'keyUntil')).toBe('7100');
    const [again] = await store.insert({ jobs: [{ ...jobs(1)[0], key: 'k', keyWindowMs: 5_000 }], now: 3_000 });
    expect(again.job.id).toBe(j.id);
  });

  it('a released first attempt leaves no progress behind for the next claim', async () => {
    store = await freshStore('run-progress');
    await store.insert({ jobs: jobs(1), now: 1_000 });
    const [j] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 60_000, now: 2_000 });
    await store.setProgress({ id: j.id, workerId: 'w', progress: 40 });
    await store.release({ workerId: 'w', ids: [j.id], now: 2_100 });
    const [again] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 60_000, now: 2_200 });
    expect(again.attempts).toBe(1);
    expect((await store.get({ id: j.id }))?.progress).toBeNull();
  });
});
