import { StoreUnavailableError } from '@mainspring/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

// While Redis is down, calls fail with StoreUnavailableError (which the runner backs off from)
// instead of hanging or crashing; when it is back the same store object works again.
describe('Redis outage', () => {
  let server: TestServer;
  let store: RedisStore;

  beforeAll(async () => {
    server = await startRedisServer(['--appendonly', 'yes']);
    // Give up on a command after one reconnect attempt so the test does not wait out the default.
    store = redisStore({ url: server.url, prefix: 'outage', redisOptions: { maxRetriesPerRequest: 1 } });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const job = { name: 'outage-job', queue: 'default', payload: 1, priority: 0, maxAttempts: 1 };

  it('reports StoreUnavailableError while Redis is down and recovers after', async () => {
    const [before] = await store.insert({ jobs: [job] });
    await server.kill();
    await expect(store.insert({ jobs: [job] })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.claim({ workerId: 'w', names: ['outage-job'], limit: 1, leaseMs: 1_000 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await server.restart();
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const [claimed] = await store.claim({ workerId: 'w', names: ['outage-job'], limit: 1, leaseMs: 1_000 });
        expect(claimed.id).toBe(before.job.id);
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  it('does not mistake Redis being down at start for an unreadable eviction policy', async () => {
    const warnings: string[] = [];
    const late = redisStore({ url: server.url, prefix: 'outage-late', logger: { warn: (m) => void warnings.push(m) }, redisOptions: { maxRetriesPerRequest: 1 } });
    try {
      await server.kill();
      await expect(late.migrate()).rejects.toBeInstanceOf(StoreUnavailableError);
      await server.restart();
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await late.migrate();
          break;
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(warnings).toEqual([]);
    } finally {
      await late.close();
    }
  });

  it('rejects a prefix that would break the hash tag', () => {
    expect(() => redisStore({ prefix: 'a{b}' })).toThrow(/Invalid Redis key prefix/);
    expect(() => redisStore({ prefix: '' })).toThrow(/Invalid Redis key prefix/);
  });
});
