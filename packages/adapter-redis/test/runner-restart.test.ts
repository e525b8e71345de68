import { createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { startRedisServer, type TestServer } from './redis-server.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await pause(20);
  }
}

// The runner-level version of the restart test: workers keep running while the Redis server is
// killed with SIGKILL and started again on its AOF files. Every enqueue that was acknowledged
// must still run to completion; the runner must ride out the outage instead of crashing.
describe('runner across a Redis restart (AOF on)', () => {
  let server: TestServer;
  let store: RedisStore;

  beforeAll(async () => {
    server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    store = redisStore({ url: server.url, prefix: 'runner-restart' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('runs every acknowledged job to completion', async () => {
    const handled = new Set<number>();
    const work = defineJob({
      name: 'restart.work',
      retry: { attempts: 10, backoff: { type: 'fixed', delay: '50ms' } },
      async handler(payload: { n: number }) {
        handled.add(payload.n);
      },
    });
    const ms = createMainspring({ store, jobs: [work], logger: silentLogger });
    // Store errors during the outage are reported as events; the runner must keep going.
    ms.on('error', () => {});
    // Short leases so a job whose completion was lost with the crash is rescued quickly.
    await ms.start({ concurrency: 8, leaseTime: '2s', pollInterval: '100ms' });

    const acked = new Map<number, string>(); // n -> job id
    let n = 0;
    let stop = false;
    const producer = (async () => {
      while (!stop) {
        const mine = n++;
        try {
          const r = await ms.enqueue(work, { n: mine });
          acked.set(mine, r.id);
        } catch {
          await pause(20);
        }
      }
    })();

    try {
      await waitFor('jobs before the crash', () => acked.size >= 200 && handled.size >= 100);
      await server.kill();
      await pause(300);
      await server.restart();
      const after = acked.size;
      await waitFor('jobs after the restart', () => acked.size >= after + 200);
      stop = true;
      await producer;

      await waitFor('every acknowledged job to run', () => [...acked.keys()].every((k) => handled.has(k)));
      await waitFor('every acknowledged job to complete', async () => {
        const jobs = await Promise.all([...acked.values()].map((id) => store.get({ id })));
        return jobs.every((j) => j?.state === 'completed');
      });
    } finally {
      stop = true;
      await producer;
      await ms.close({ timeout: '5s' });
    }
    expect([...acked.keys()].filter((k) => !handled.has(k))).toEqual([]);
  }, 180_000);
});
