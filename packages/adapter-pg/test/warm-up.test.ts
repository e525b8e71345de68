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
it('ready() prepares the insert, start() prepares the worker statements on several connections', async () => {
  // As many connections as a worker warms, so every connection the pool can hand out is checked.
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const sql = buildStatements(`"${schema}"`);
  const job = defineJob<{ n: number }>({ name: 'warm', handler: async () => {} });
  const ms = createMainspring({ store: pgStore({ pool, schema, listen: false }), jobs: [job], logger: silentLogger });
  try {
    await ms.ready();
    const afterReady = await preparedPerConnection(pool);
    expect(afterReady.some((names) => names.has(sql.insertJob.name) && names.has(sql.insertJobs.name))).toBe(true);
    // Warming inserted nothing.
    expect((await ms.countJobs({})).pending).toBe(0);

    await ms.start({ concurrency: 5 });
    const hot = [sql.claimJobs, sql.completeJobs, sql.failJobs, sql.extendLeases].map((s) => s.name);
    const connections = await preparedPerConnection(pool);
    expect(connections).toHaveLength(4);
    for (const names of connections) expect(hot.filter((n) => !names.has(n))).toEqual([]);
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
