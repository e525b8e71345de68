import type { JobRecord } from '@mainspring/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A redis-server of this test's own with AOF fsynced on every write is killed with SIGKILL in the
// middle of a producer and a worker, then started again on the same files. Whatever the store
// acknowledged before the crash (an insert that returned, a completion reported settled) must be
// there afterwards, and the store must carry on through the same client.
interface CrashRun {
  acked: Array<[id: string, seq: number]>;
  missing: string[];
  notCompleted: string[];
  completed: number;
  failures: number;
  store: RedisStore;
  keyed: Map<string, string>;
}

/** Produce and work jobs, kill -9 the server mid-run, restart it, and report what went missing. */
async function crashRun(server: TestServer, store: RedisStore): Promise<CrashRun> {
  // (id, seq) pairs, not a map: a server that lost its data hands out old ids again.
  const acked: Array<[string, number]> = [];
  const keyed = new Map<string, string>(); // key -> id, for keys still live
  const completed = new Set<string>();
  let seq = 0;
  let stop = false;
  let failures = 0;
  const name = 'aof-job';

  const producer = (async () => {
    while (!stop) {
      const n = seq++;
      const key = n % 10 === 0 ? `k${n}` : null;
      try {
        const [r] = await store.insert({ jobs: [{ name, queue: 'default', payload: { n }, priority: 0, maxAttempts: 3, key }] });
        if (!r.deduplicated) acked.push([r.job.id, n]);
        if (key) keyed.set(key, r.job.id);
      } catch {
        failures++;
        await pause(20);
      }
    }
  })();
  const worker = (async () => {
    while (!stop) {
      try {
        const jobs: JobRecord[] = await store.claim({ workerId: 'w', names: [name], limit: 5, leaseMs: 60_000 });
        // Leave keyed jobs pending so dedup can be checked after the restart.
        const done = jobs.filter((j) => j.key === null);
        if (done.length > 0) {
          const r = await store.complete({ workerId: 'w', items: done.map((j) => ({ id: j.id, attempt: j.attempts })) });
          for (const id of r.settled) completed.add(id);
        }
        if (jobs.length === 0) await pause(5);
      } catch {
        failures++;
        await pause(20);
      }
    }
  })();

  const waitFor = async (what: string, cond: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await pause(10);
    }
  };

  await waitFor('work before the crash', () => acked.length >= 300 && completed.size >= 100);
  const ackedBefore = acked.length;
  await server.kill();
  await pause(200);
  await server.restart();
  await waitFor('work after the restart', () => acked.length >= ackedBefore + 300);
  stop = true;
  await Promise.all([producer, worker]);

  const records = await Promise.all(acked.map(([id]) => store.get({ id })));
  const missing = acked.filter(([, n], i) => records[i] === null || (records[i]!.payload as { n: number }).n !== n).map(([id]) => id);
  const completedNow = await Promise.all([...completed].map((id) => store.get({ id })));
  const notCompleted = [...completed].filter((_, i) => completedNow[i]?.state !== 'completed');
  return { acked, missing, notCompleted, completed: completed.size, failures, store, keyed };
}

describe('Redis restart mid-run', () => {
  describe('with AOF on (appendfsync always)', () => {
    let server: TestServer;
    let store: RedisStore;
    beforeAll(async () => {
      server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
      store = redisStore({ url: server.url, prefix: 'aof' });
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await server?.stop();
    });

    it('loses no acknowledged job or completion across kill -9 and restart', async () => {
      const run = await crashRun(server, store);
      expect(run.missing).toEqual([]);
      expect(run.notCompleted).toEqual([]);

      // Idempotency keys survived too: re-inserting a live key returns the acknowledged job.
      const [[key, id]] = [...run.keyed];
      const [again] = await store.insert({ jobs: [{ name: 'aof-job', queue: 'default', payload: null, priority: 0, maxAttempts: 3, key }] });
      expect(again).toMatchObject({ deduplicated: true, job: { id } });

      // Counts were kept in step with the jobs through the crash.
      const counts = await store.counts({ name: 'aof-job' });
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(run.acked.length);
      expect(counts.completed).toBeGreaterThanOrEqual(run.completed);
    }, 120_000);
  });

  // The control: the same crash without persistence loses acknowledged jobs, so the check above
  // can tell a durable setup from one that is not.
  describe('without persistence (control)', () => {
    let server: TestServer;
    let store: RedisStore;
    beforeAll(async () => {
      server = await startRedisServer(['--appendonly', 'no']);
      store = redisStore({ url: server.url, prefix: 'noaof' });
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await server?.stop();
    });

    it('does lose acknowledged jobs, which is why the docs require AOF', async () => {
      const run = await crashRun(server, store);
      expect(run.missing.length).toBeGreaterThan(0);
    }, 120_000);
  });
});
