import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { keySlot } from './keyslot.js';
import { startClusterNode, startRedisServer, type TestServer } from './redis-server.js';

/** Exercise every kind of key the store writes: states, groups, limits, keys, schedules, pauses, metrics. */
async function workload(store: RedisStore, now: number): Promise<void> {
  const base = { queue: 'default', payload: { n: 1 }, priority: 0, maxAttempts: 2 };
  await store.insert({
    now,
    jobs: [
      { ...base, name: 'a', tenant: 't1', key: 'k1', keyWindowMs: 60_000 },
      { ...base, name: 'a', tenant: 't2', priority: 5 },
      { ...base, name: 'b', queue: 'mail' },
      { ...base, name: 'b', queue: 'mail', delayMs: 60_000 },
      { ...base, name: 'c', meta: { m: 1 } },
      { ...base, name: 'c' },
    ],
  });
  const limits = {
    queues: { default: { concurrency: 10 } },
    names: { a: { concurrency: 5, groupConcurrency: 1, rate: { max: 10, perMs: 1_000, byGroup: true } }, b: { rate: { max: 10, perMs: 1_000 } } },
  };
  const claimed = await store.claim({ workerId: 'w', names: ['a', 'b', 'c'], limit: 10, leaseMs: 1_000, limits, now });
  const [first, second, third, fourth] = claimed;
  await store.complete({ workerId: 'w', items: [{ id: first.id, attempt: 1, result: 'ok', logs: [{ at: new Date(now), message: 'hi' }] }], now: now + 1 });
  await store.fail({ workerId: 'w', items: [{ id: second.id, attempt: 1, error: { name: 'E', message: 'x' }, retryDelayMs: 5_000 }], now: now + 1 });
  await store.fail({ workerId: 'w', items: [{ id: third.id, attempt: 1, error: { name: 'E', message: 'x' }, retryDelayMs: null }], now: now + 1 });
  await store.setProgress({ id: fourth.id, workerId: 'w', progress: 50 });
  await store.rescueExpired({ now: now + 10_000 });
  await store.upsertSchedule({
    now,
    schedule: { name: 'nightly', cron: '0 0 * * *', timezone: 'UTC', job: 'a', payload: null, catchUp: 'latest', tenant: null, enabled: true, source: 'code', nextFireAt: new Date(now) },
  });
  await store.fireSchedule({ name: 'nightly', expectedNextFireAt: new Date(now), nextFireAt: new Date(now + 86_400_000), lastFireAt: new Date(now), jobs: [{ ...base, name: 'a', key: `nightly:${now}` }], now });
  await store.pause({ scope: 'queue', target: 'mail', until: null, reason: 'test' });
  await store.resume({ scope: 'queue', target: 'mail' });
  await store.pause({ scope: 'name', target: 'c', until: null, reason: null });
  await store.list({ state: 'pending', tenant: 't1' });
  await store.metrics({ from: now - 1, to: now + 100_000 });
  const { jobs } = await store.list({ limit: 1 });
  await store.cancel({ id: jobs[0].id, now: now + 2 });
  await store.retry({ id: jobs[0].id, attempts: 1, now: now + 3 });
  await store.prune({ completedOlderThanMs: 0, failedOlderThanMs: 1_000_000, cancelledOlderThanMs: 0, attemptsOlderThanMs: 1_000_000, now: now + 20_000 });
}

describe('cluster-safe key names', () => {
  describe('on a plain server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server?.stop());

    it('puts every key a store creates in the one slot of its {prefix} hash tag', async () => {
      const store = redisStore({ url: server.url, prefix: 'slots' });
      const admin = new Redis(server.url);
      try {
        await store.migrate();
        await workload(store, await store.now());
        // The server is this test's own, so every key on it was written by the store.
        const keys = await admin.keys('*');
        expect(keys.length).toBeGreaterThan(20);
        for (const key of keys) expect(key.startsWith('{slots}:')).toBe(true);
        expect(new Set(keys.map(keySlot))).toEqual(new Set([keySlot('{slots}')]));
      } finally {
        await store.close();
        admin.disconnect();
      }
    });
  });

  // Redis in cluster mode rejects multi-key commands and scripts whose keys span slots, so running
  // the workload through an ioredis Cluster client on a real (one-node) cluster proves it at runtime.
  describe('on a real Redis Cluster node', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startClusterNode();
    });
    afterAll(() => server?.stop());

    it('rejects a #!lua script that touches a key outside its declared slot (so the check has teeth)', async () => {
      const cluster = new Cluster([{ host: '127.0.0.1', port: server.port }]);
      try {
        const stray = "#!lua\nreturn redis.call('SET', '{elsewhere}:x', 1)";
        await expect(cluster.eval(stray, 1, '{cluster}:')).rejects.toThrow(/do not hash to the same slot/);
      } finally {
        await cluster.quit();
      }
    });

    it('runs every transition through a Cluster client', { timeout: 20_000 }, async () => {
      const cluster = new Cluster([{ host: '127.0.0.1', port: server.port }]);
      const store = redisStore({ client: cluster, prefix: 'cluster' });
      try {
        await store.migrate();
        await workload(store, await store.now());
        const counts = await store.counts({});
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        const keys = await cluster.keys('*');
        expect(new Set(keys.map(keySlot))).toEqual(new Set([keySlot('{cluster}')]));
        expect(Number(await cluster.call('CLUSTER', 'KEYSLOT', '{cluster}:j:1'))).toBe(keySlot('{cluster}'));
      } finally {
        await store.close();
        await cluster.quit();
      }
    });
  });
});
