import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createMainspring, defineJob, silentLogger } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';
import { buildStatements } from '../src/sql/index.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('warmup');
afterAll(() => dropSchema(schema));

/** The prepared statements of every connection the pool holds (waiting for busy ones), one set per connection. */
async function preparedPerConnection(pool: pg.Pool): Promise<Set<string>[]> {
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  try {
    return await Promise.all(
      clients.map(async (c) => new Set((await c.query('select name from pg_prepared_statements')).rows.map((r) => r.name as string))),
    );
  } finally {
    for (const c of clients) c.release();
  }
}

// A fresh connection plans each statement on first use (5-60 ms each here); a worker that starts
// warm keeps that off its first jobs' enqueue-to-start time.
it('ready() prepares the insert; an idle worker prepares its statements on several connections', async () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const sql = buildStatements(`"${schema}"`);
  const job = defineJob<{ n: number }>({ name: 'warm', handler: async () => {} });
  const store = pgStore({ pool, schema, listen: false });
  let workerWarmedUp: () => void = () => {};
  const warmedUp = new Promise<void>((resolve) => (workerWarmedUp = resolve));
  const warmUp = store.warmUp.bind(store);
  store.warmUp = async (params) => {
    await warmUp(params);
    if (params.role === 'work') workerWarmedUp();
  };
  const ms = createMainspring({ store, jobs: [job], logger: silentLogger });
  try {
    await ms.ready();
    const afterReady = await preparedPerConnection(pool);
    expect(afterReady.some((names) => names.has(sql.insertJob.name) && names.has(sql.insertJobs.name))).toBe(true);
    // Warming inserted nothing.
    expect((await ms.countJobs({})).pending).toBe(0);

    // Nothing is queued, so the worker's first claim comes back empty and it warms up (in the background).
    await ms.start({ concurrency: 5 });
    const hot = [sql.claimJobs, sql.completeJobs, sql.failJobs, sql.extendLeases].map((s) => s.name);
    await warmedUp;
    const warm = (await preparedPerConnection(pool)).filter((names) => hot.every((n) => names.has(n)));
    expect(warm.length).toBeGreaterThanOrEqual(4);
    expect((await ms.countJobs({})).pending).toBe(0);

    // And the worker works.
    const { id } = await ms.enqueue(job, { n: 1 });
    for (let i = 0; i < 200 && (await ms.getJob(id))?.state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await ms.getJob(id))?.state).toBe('completed');
  } finally {
    await ms.close();
    await pool.end();
  }
});

it('a warm-up that fails does not stop start()', async () => {
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  store.warmUp = async () => {
    throw new Error('warm-up broke');
  };
  const job = defineJob<{ n: number }>({ name: 'warm-fail', handler: async () => {} });
  const ms = createMainspring({ store, jobs: [job], logger: silentLogger });
  try {
    await ms.start({ concurrency: 1 });
    const { id } = await ms.enqueue(job, { n: 1 });
    for (let i = 0; i < 200 && (await ms.getJob(id))?.state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await ms.getJob(id))?.state).toBe('completed');
  } finally {
    await ms.close();
  }
});
