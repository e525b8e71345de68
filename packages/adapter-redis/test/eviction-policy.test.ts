import { ConfigError } from '@mainspring/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvictionPolicy, redisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

function recorder() {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (m: string) => void warnings.push(m) } };
}

// Each case runs on a redis-server of its own, so changing the policy never touches the shared
// server that other test files use at the same time.
describe('maxmemory-policy check', () => {
  describe('on a server that may evict (allkeys-lru)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    });
    afterAll(() => server?.stop());

    it('refuses to start with a clear error by default', async () => {
      const store = redisStore({ url: server.url, prefix: 'evict-err' });
      try {
        const error = await store.migrate().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(/maxmemory-policy is "allkeys-lru"/);
        expect((error as Error).message).toMatch(/noeviction/);
        // Every other call is refused too: no job is written to a store that could lose it.
        await expect(store.insert({ jobs: [{ name: 'x', queue: 'q', payload: 1, priority: 0, maxAttempts: 1 }] })).rejects.toBeInstanceOf(ConfigError);
        const admin = new Redis(server.url);
        expect(await admin.exists('{evict-err}:id')).toBe(0);
        admin.disconnect();
      } finally {
        await store.close();
      }
    });

    it("only warns with evictionPolicy: 'warn'", async () => {
      const { warnings, logger } = recorder();
      const store = redisStore({ url: server.url, prefix: 'evict-warn', evictionPolicy: 'warn', logger });
      try {
        await store.migrate();
        const [r] = await store.insert({ jobs: [{ name: 'x', queue: 'q', payload: 1, priority: 0, maxAttempts: 1 }] });
        expect(r.deduplicated).toBe(false);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/allkeys-lru/);
      } finally {
        await store.close();
      }
    });

    it('accepts the server once the policy is noeviction again', async () => {
      const admin = new Redis(server.url);
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      const { warnings, logger } = recorder();
      const store = redisStore({ url: server.url, prefix: 'evict-ok', logger });
      try {
        await store.migrate();
        expect(warnings).toEqual([]);
      } finally {
        await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
        admin.disconnect();
        await store.close();
      }
    });
  });

  describe('on a managed-style server with CONFIG disabled', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startRedisServer(['--maxmemory-policy', 'volatile-lru', '--rename-command', 'CONFIG', '']);
    });
    afterAll(() => server?.stop());

    it('reads the policy from INFO memory instead', async () => {
      const admin = new Redis(server.url);
      await expect(admin.config('GET', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
      expect(await readEvictionPolicy(admin)).toBe('volatile-lru');
      admin.disconnect();
      const store = redisStore({ url: server.url, prefix: 'evict-managed' });
      await expect(store.migrate()).rejects.toThrow(/volatile-lru/);
      await store.close();
    });
  });

  describe('when neither CONFIG nor INFO may be used', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startRedisServer(['--rename-command', 'CONFIG', '', '--rename-command', 'INFO', '']);
    });
    afterAll(() => server?.stop());

    it('starts and warns that the policy could not be checked', async () => {
      const { warnings, logger } = recorder();
      // ioredis's ready check runs INFO, so it is turned off here as it would have to be on such a service.
      const store = redisStore({ url: server.url, prefix: 'evict-unknown', logger, redisOptions: { enableReadyCheck: false } });
      try {
        await store.migrate();
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/Could not read Redis maxmemory-policy/);
      } finally {
        await store.close();
      }
    });
  });
});
