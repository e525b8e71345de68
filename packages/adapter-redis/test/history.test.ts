import { describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.js';
import { startRedisServer } from './redis-server.js';

// Memory per job stays bounded however often it retries and whatever its handler logs.
describe('bounded history', () => {
  it('keeps the last 50 attempts, the last 200 log lines, and clips huge messages', async () => {
    const server = await startRedisServer();
    const store = redisStore({ url: server.url, prefix: 'bounded' });
    try {
      await store.migrate();
      const [{ job }] = await store.insert({ jobs: [{ name: 'x', queue: 'q', payload: 1, priority: 0, maxAttempts: 1_000 }] });
      const logs = Array.from({ length: 300 }, (_, i) => ({ at: new Date(i), message: i === 299 ? 'y'.repeat(100_000) : `line ${i}` }));
      for (let a = 1; a <= 60; a++) {
        const [held] = await store.claim({ workerId: 'w', names: ['x'], limit: 1, leaseMs: 1_000 });
        expect(held.attempts).toBe(a);
        await store.fail({ workerId: 'w', items: [{ id: job.id, attempt: a, error: { name: 'E', message: `boom ${a}`, stack: 's'.repeat(100_000) }, retryDelayMs: 0, logs }] });
      }
      const history = await store.attempts({ jobId: job.id });
      expect(history).toHaveLength(50);
      expect(history.map((h) => h.attempt)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
      const last = history[history.length - 1];
      expect(last.logs).toHaveLength(200);
      expect(last.logs[0].message).toBe('line 100');
      expect(last.logs[199].message.length).toBeLessThan(20_000);
      expect(last.error?.stack?.length).toBeLessThan(20_000);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
