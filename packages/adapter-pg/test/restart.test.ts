import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';
import { startPrivateCluster, type PrivateCluster } from './fixtures/private-cluster.js';

let cluster: PrivateCluster;
beforeAll(async () => {
  cluster = await startPrivateCluster();
});
afterAll(() => cluster?.stop());

// The test's own reads retry too: right after the restart a pooled connection may still be a dead one.
const retrying = async <T>(fn: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      return await fn();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
};

async function startedAt(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query('select pg_postmaster_start_time() as t')).rows[0].t.getTime();
  } finally {
    await c.end();
  }
}

const until = async (cond: () => boolean | Promise<boolean>) => {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 50));
};

it('the runner survives a Postgres restart mid-run and loses no job', async () => {
  const seen = new Set<number>();
  let runs = 0;
  const work = defineJob({
    name: 'restart.work',
    retry: { attempts: 10, backoff: { type: 'fixed', delay: '100ms' } },
    async handler(payload: { n: number }) {
      runs++;
      seen.add(payload.n);
      await new Promise((r) => setTimeout(r, 20));
    },
  });
  const store = pgStore({ connectionString: cluster.url, schema: 'restart_test', max: 4 });
  // The outage is expected: keep the runner's error logs out of the test output.
  const ms = createMainspring({ store, jobs: [work], logger: silentLogger });
  const serverStart = () => retrying(() => startedAt(cluster.url));
  const total = 400;
  await ms.enqueueMany(work, Array.from({ length: total }, (_, n) => ({ payload: { n } })));
  await ms.start({ concurrency: 8, leaseTime: '2s', pollInterval: '100ms' });
  try {
    const before = await serverStart();
    await until(() => seen.size >= 50);
    // Mid-run: every connection (pool and listener) is cut while jobs are claimed and running.
    cluster.restart('immediate');
    const doneAtRestart = (await retrying(() => store.counts({}))).completed;
    expect(doneAtRestart).toBeLessThan(total);
    await until(() => seen.size === total);
    await until(async () => (await retrying(() => store.counts({}))).completed === total);
    const counts = await store.counts({});
    expect(counts).toEqual({ pending: 0, active: 0, completed: total, failed: 0, cancelled: 0 });
    expect(runs).toBeGreaterThanOrEqual(total); // at-least-once: a job cut off mid-settle may run twice
    expect(await serverStart()).toBeGreaterThan(before); // it really was a new server process
  } finally {
    await ms.close({ timeout: '1s' });
  }
});
