import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

const MINUTE = 60_000;

/** How many times Redis ran `command` (inside scripts too) since the last reset. */
async function calls(admin: Redis, command: string): Promise<number> {
  const info = await admin.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

// Long windows read per-minute totals for their whole minutes and count only the ragged ends
// attempt by attempt; the answer must equal counting every attempt.
describe('metrics over long windows', () => {
  let server: TestServer;
  let store: RedisStore;
  let admin: Redis;
  const attempts: Array<{ end: number; ok: boolean; duration: number; name: string; tenant: string | null }> = [];
  let t0 = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
    store = redisStore({ url: server.url, prefix: 'metrics-long' });
    await store.migrate();
    t0 = Math.floor((await store.now()) / MINUTE) * MINUTE + 12_345;
    // 240 attempts over four hours, one per minute, at odd offsets within their minutes.
    for (let i = 0; i < 240; i++) {
      const name = i % 3 === 0 ? 'b' : 'a';
      const tenant = i % 4 === 0 ? 't1' : null;
      const start = t0 + i * MINUTE + ((i * 7_919) % 50_000);
      const duration = 100 + (i % 13) * 10;
      const ok = i % 5 !== 0;
      await store.insert({ jobs: [{ name, queue: 'q', payload: i, priority: 0, maxAttempts: 1, tenant }], now: start });
      const [job] = await store.claim({ workerId: 'w', names: [name], limit: 1, leaseMs: 60_000, now: start });
      if (ok) await store.complete({ workerId: 'w', items: [{ id: job.id, attempt: 1 }], now: start + duration });
      else await store.fail({ workerId: 'w', items: [{ id: job.id, attempt: 1, error: { name: 'E', message: 'x' }, retryDelayMs: null }], now: start + duration });
      attempts.push({ end: start + duration, ok, duration, name, tenant });
    }
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await server?.stop();
  });

  function expected(from: number, to: number, f: (a: (typeof attempts)[number]) => boolean = () => true) {
    const inWindow = attempts.filter((a) => a.end >= from && a.end <= to && f(a));
    const completed = inWindow.filter((a) => a.ok).length;
    const total = inWindow.reduce((s, a) => s + a.duration, 0);
    return { completed, failed: inWindow.length - completed, avgDurationMs: inWindow.length ? total / inWindow.length : null };
  }

  it('matches an attempt-by-attempt count for windows with ragged ends', async () => {
    for (const [from, to] of [
      [t0 + 17 * MINUTE + 4_321, t0 + 200 * MINUTE + 9_876],
      [t0 - 5 * MINUTE, t0 + 300 * MINUTE],
      [t0 + 30 * MINUTE, t0 + 90 * MINUTE - 1],
    ]) {
      const m = await store.metrics({ from, to });
      const e = expected(from, to);
      expect({ completed: m.completed, failed: m.failed }).toEqual({ completed: e.completed, failed: e.failed });
      expect(m.avgDurationMs).toBeCloseTo(e.avgDurationMs!, 6);
    }
  });

  it('filters by name and tenant on the minute totals too', async () => {
    const from = t0 + 3 * MINUTE + 1;
    const to = t0 + 230 * MINUTE;
    const byName = await store.metrics({ from, to, name: 'b' });
    expect({ completed: byName.completed, failed: byName.failed }).toMatchObject(
      (({ completed, failed }) => ({ completed, failed }))(expected(from, to, (a) => a.name === 'b')),
    );
    const byTenant = await store.metrics({ from, to, tenant: 't1' });
    const e = expected(from, to, (a) => a.tenant === 't1');
    expect({ completed: byTenant.completed, failed: byTenant.failed }).toEqual({ completed: e.completed, failed: e.failed });
    expect(byTenant.avgDurationMs).toBeCloseTo(e.avgDurationMs!, 6);
  });

  it('reads only the jobs at the ragged ends, not every job in the window', async () => {
    await admin.config('RESETSTAT');
    await store.metrics({ from: t0, to: t0 + 239 * MINUTE });
    // About one job per ragged minute at each end; a job-by-job count would read ~240.
    expect(await calls(admin, 'hmget')).toBeLessThan(10);
  });

  it('reads the minute `to` falls in from its total once everything in it finished by `to`', async () => {
    // A busy current minute: 100 jobs finish within it, the way a dashboard polls "the last hour".
    const busy = redisStore({ url: server.url, prefix: 'metrics-busy' });
    try {
      const minuteStart = t0 + 500 * MINUTE - 12_345;
      const ends: number[] = [];
      for (let i = 0; i < 100; i++) {
        const start = minuteStart + 1_000 + i * 300;
        await busy.insert({ jobs: [{ name: 'a', queue: 'q', payload: i, priority: 0, maxAttempts: 1 }], now: start });
        const [job] = await busy.claim({ workerId: 'w', names: ['a'], limit: 1, leaseMs: 60_000, now: start });
        await busy.complete({ workerId: 'w', items: [{ id: job!.id, attempt: 1 }], now: start + 50 });
        ends.push(start + 50);
      }
      const last = ends[ends.length - 1]!;
      await admin.config('RESETSTAT');
      const now = await busy.metrics({ from: last - 60 * MINUTE, to: last + 10 });
      expect(now).toMatchObject({ completed: 100, failed: 0, avgDurationMs: 50 });
      // The minute's total, not one job read per attempt finished in it.
      expect(await calls(admin, 'hmget')).toBeLessThan(5);

      // A window that ends before some of that minute's attempts counts them one by one, exactly.
      const cut = ends[39]!;
      const partial = await busy.metrics({ from: cut - 60 * MINUTE, to: cut });
      expect(partial).toMatchObject({ completed: 40, failed: 0 });
    } finally {
      await busy.close();
    }
  });

  it('prunes minute totals with the attempt history', async () => {
    const before = await admin.zcard('{metrics-long}:mbidx');
    expect(before).toBeGreaterThan(200);
    const now = t0 + 240 * MINUTE;
    await store.prune({ completedOlderThanMs: 1e12, failedOlderThanMs: 1e12, cancelledOlderThanMs: 1e12, attemptsOlderThanMs: 120 * MINUTE, batchSize: 50, now });
    const minutes = (await admin.zrange('{metrics-long}:mbidx', 0, -1)).map(Number);
    expect(minutes.length).toBeLessThan(before);
    expect(Math.min(...minutes) * MINUTE + MINUTE).toBeGreaterThan(now - 120 * MINUTE);
  });
});
