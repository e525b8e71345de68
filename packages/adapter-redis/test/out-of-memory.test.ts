import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

// With noeviction, a full Redis refuses writes. Inserts must be refused whole (nothing half
// written), while claiming, settling and pruning go on, so workers drain the backlog and
// retention frees memory. A server of its own, so its maxmemory can be changed safely.
describe('when Redis reaches maxmemory (noeviction)', () => {
  let server: TestServer;
  let store: RedisStore;
  let admin: Redis;

  beforeAll(async () => {
    server = await startRedisServer(['--maxmemory-policy', 'noeviction']);
    admin = new Redis(server.url);
    store = redisStore({ url: server.url, prefix: 'oom' });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await server?.stop();
  });

  const job = (i: number) => ({ name: 'oom-job', queue: 'default', payload: { i }, priority: 0, maxAttempts: 1 });

  it('refuses inserts whole but keeps claiming, settling, reading and pruning', async () => {
    await store.insert({ jobs: Array.from({ length: 20 }, (_, i) => job(i)) });
    const idBefore = await admin.get('{oom}:id');
    // One byte: every moment from now on is "out of memory".
    await admin.config('SET', 'maxmemory', '1');
    try {
      await expect(store.insert({ jobs: [job(99)] })).rejects.toThrow(/OOM/);
      expect(await admin.get('{oom}:id')).toBe(idBefore);
      expect((await store.counts({})).pending).toBe(20);

      const claimed = await store.claim({ workerId: 'w', names: ['oom-job'], limit: 10, leaseMs: 60_000 });
      expect(claimed).toHaveLength(10);
      const settled = await store.complete({ workerId: 'w', items: claimed.map((j) => ({ id: j.id, attempt: 1 })) });
      expect(settled.settled).toHaveLength(10);
      expect((await store.list({ state: 'completed' })).jobs).toHaveLength(10);
      expect((await store.metrics({ from: 0, to: Date.now() + 60_000 })).completed).toBe(10);

      const now = (await store.now()) + 1_000;
      const pruned = await store.prune({ completedOlderThanMs: 0, failedOlderThanMs: 0, cancelledOlderThanMs: 0, attemptsOlderThanMs: 0, now });
      expect(pruned.jobs).toBe(10);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    const [after] = await store.insert({ jobs: [job(100)] });
    expect(after.deduplicated).toBe(false);
  });
});
