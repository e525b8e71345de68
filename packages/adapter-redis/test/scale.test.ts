import type { NewJob } from '@mainspring/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

/** How many times Redis ran `command` (inside scripts too) since the last reset. */
async function calls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

// Ready jobs are kept per (queue, name, tenant). With thousands of tenants a claim must still take
// the globally best jobs, skip tenants at their limit, and read only the groups that can contribute.
// The server is this file's own so its command counters are exact.
describe('claims over thousands of tenant groups', () => {
  let server: TestServer;
  let store: RedisStore;
  let admin: Redis;
  const TENANTS = 3_000;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  async function fresh(prefix: string): Promise<RedisStore> {
    await store?.close();
    store = redisStore({ url: server.url, prefix });
    await store.migrate();
    return store;
  }

  const job = (i: number, extra: Partial<NewJob> = {}): NewJob => ({
    name: 'digest', queue: 'default', payload: { i }, priority: 0, maxAttempts: 3, tenant: `t${i}`, ...extra,
  });

  it('takes the globally best jobs in order, reading few groups', async () => {
    await fresh('groups-order');
    const now = await store.now();
    // Every tenant has one job; priorities and run times vary so the best ten are scattered.
    const jobs = Array.from({ length: TENANTS }, (_, i) => job(i, { priority: i % 7 === 0 ? 5 : 0, runAt: new Date(now - ((i * 7919) % 10_000)) }));
    await store.insert({ jobs, now });
    const expected = jobs
      .map((j, i) => ({ i, priority: j.priority, runAt: j.runAt!.getTime() }))
      .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.i - b.i)
      .slice(0, 10)
      .map((x) => x.i);

    await admin.config('RESETSTAT');
    const claimed = await store.claim({ workerId: 'w', names: ['digest'], limit: 10, leaseMs: 60_000, now });
    expect(claimed.map((j) => (j.payload as { i: number }).i)).toEqual(expected);
    // A handful of group reads, not one per tenant.
    expect(await calls(admin, 'zrange')).toBeLessThan(100);
  });

  it('skips tenants at their concurrency limit and still reaches the others', async () => {
    await fresh('groups-limit');
    const now = await store.now();
    // Tenants 0..1999 already run one job each; tenants 2000.. have work and free capacity.
    await store.insert({ jobs: Array.from({ length: 2_000 }, (_, i) => job(i)), now: now - 1_000 });
    const busy = await store.claim({ workerId: 'w', names: ['digest'], limit: 2_000, leaseMs: 60_000, now: now - 1_000 });
    expect(busy).toHaveLength(2_000);
    await store.insert({ jobs: Array.from({ length: TENANTS }, (_, i) => job(i)), now: now - 500 });

    const limits = { names: { digest: { groupConcurrency: 1 } } };
    const claimed = await store.claim({ workerId: 'w', names: ['digest'], limit: 50, leaseMs: 60_000, limits, now });
    expect(claimed).toHaveLength(50);
    for (const j of claimed) expect(Number(j.tenant!.slice(1))).toBeGreaterThanOrEqual(2_000);
    expect(new Set(claimed.map((j) => j.tenant)).size).toBe(50);
  });
});

describe('claim input', () => {
  it('never returns a job twice when a name is listed twice', async () => {
    const server = await startRedisServer();
    const store = redisStore({ url: server.url, prefix: 'dup-names' });
    try {
      await store.migrate();
      await store.insert({ jobs: Array.from({ length: 5 }, (_, i) => ({ name: 'x', queue: 'q', payload: i, priority: 0, maxAttempts: 1 })) });
      const claimed = await store.claim({ workerId: 'w', names: ['x', 'x'], limit: 10, leaseMs: 1_000 });
      expect(claimed).toHaveLength(5);
      expect(new Set(claimed.map((j) => j.id)).size).toBe(5);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});

describe('large batches', () => {
  it('claims and completes 12,000 jobs in single calls', async () => {
    const server = await startRedisServer();
    const store = redisStore({ url: server.url, prefix: 'big' });
    try {
      await store.migrate();
      const n = 12_000;
      await store.insert({ jobs: Array.from({ length: n }, (_, i) => ({ name: 'x', queue: 'q', payload: i, priority: 0, maxAttempts: 1 })) });
      const claimed = await store.claim({ workerId: 'w', names: ['x'], limit: n, leaseMs: 60_000 });
      expect(claimed).toHaveLength(n);
      const done = await store.complete({ workerId: 'w', items: claimed.map((j) => ({ id: j.id, attempt: 1 })) });
      expect(done.settled).toHaveLength(n);
      expect(await store.counts({})).toMatchObject({ pending: 0, active: 0, completed: n });
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
