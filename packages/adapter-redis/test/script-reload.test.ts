import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

// SCRIPT FLUSH empties the server's script cache, as a restart or a failover to a fresh replica
// does; the store must notice NOSCRIPT and reload, without the caller seeing an error.
describe('script reload after SCRIPT FLUSH', () => {
  let server: TestServer;
  let store: RedisStore;
  let admin: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    store = redisStore({ url: server.url, prefix: 'reload' });
    admin = new Redis(server.url);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await server?.stop();
  });

  const job = { name: 'reload-job', queue: 'default', payload: { n: 1 }, priority: 0, maxAttempts: 3 };

  it('loads every script once at start, then reloads a flushed script on its next call', async () => {
    const sha = (store as unknown as { scripts: { sha(n: string): string } }).scripts.sha('insert');
    expect(await admin.script('EXISTS', sha)).toEqual([1]);

    await admin.script('FLUSH');
    expect(await admin.script('EXISTS', sha)).toEqual([0]);

    const [inserted] = await store.insert({ jobs: [job] });
    expect(inserted.deduplicated).toBe(false);
    expect(await admin.script('EXISTS', sha)).toEqual([1]);

    // Every other transition also survives the flush.
    await admin.script('FLUSH');
    const [claimed] = await store.claim({ workerId: 'w', names: ['reload-job'], limit: 1, leaseMs: 10_000 });
    expect(claimed.id).toBe(inserted.job.id);
    const settled = await store.complete({ workerId: 'w', items: [{ id: claimed.id, attempt: 1, result: 'ok' }] });
    expect(settled).toEqual({ settled: [claimed.id], lost: [] });
    expect(await store.get({ id: claimed.id })).toMatchObject({ state: 'completed', result: 'ok' });
  });

  it('reloads under concurrent calls after a flush', async () => {
    await admin.script('FLUSH');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.insert({ jobs: [{ ...job, payload: { i } }] })));
    expect(results.flat()).toHaveLength(20);
    expect((await store.counts({ name: 'reload-job' })).pending).toBe(20);
  });
});
