import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { pgStore } from '@mainspring/adapter-pg';
import { buildStatements } from '../src/sql/index.js';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('plan');
afterAll(() => dropSchema(schema));

// The claim must stay an ordered index walk that stops after the batch, whatever the backlog, and
// even right after a bulk insert when the table has no statistics yet (the benchmark case): a plan
// that reads and sorts every pending row makes each claim cost grow with the queue.
// (Autovacuum may analyze the table meanwhile; the plan must be the same either way.)
it('claims and settles through indexes, without statistics, never scanning the jobs table', async () => {
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await store.migrate();
    const jobs = Array.from({ length: 5_000 }, (_, i) => ({ name: 'a', queue: 'q', payload: { i }, priority: i % 3, maxAttempts: 3 }));
    await store.insert({ jobs });
    await store.insert({ jobs: jobs.map((j) => ({ ...j, name: 'b' })) });
    await client.connect();
    const sql = buildStatements(`"${schema}"`);
    const explain = async (text: string, values: unknown[]) => {
      await client.query('begin');
      try {
        const { rows } = await client.query(`explain ${text}`, values);
        return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
      } finally {
        await client.query('rollback');
      }
    };
    const claimPlan = await explain(sql.claimJobs.text, ['w', ['a', 'b'], null, 100, 30_000, null]);
    expect(claimPlan).toMatch(/Index Scan using jobs_pending_idx on jobs/);
    expect(claimPlan).not.toMatch(/Seq Scan on jobs|Bitmap Index Scan on jobs_pending_idx/);

    const held = await store.claim({ workerId: 'w', names: ['a'], limit: 100, leaseMs: 30_000 });
    const items = JSON.stringify(held.map((j) => ({ id: j.id, attempt: j.attempts, result: null, logs: [] })));
    const completePlan = await explain(sql.completeJobs.text, ['w', items, null]);
    expect(completePlan).not.toMatch(/Seq Scan on jobs/);
  } finally {
    await client.end();
    await store.close();
  }
});
