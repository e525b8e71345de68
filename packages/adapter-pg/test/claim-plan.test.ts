import { afterAll, expect, it } from 'vitest';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, uniqueSchema, withMigratedStore } from './helpers.js';

const schema = uniqueSchema('plan');
afterAll(() => dropSchema(schema));

// The claim must stay an ordered index walk that stops after the batch, whatever the backlog, and
// even right after a bulk insert when the table has no statistics yet (the benchmark case): a plan
// that reads and sorts every pending row makes each claim cost grow with the queue.
// (Autovacuum may analyze the table meanwhile; the plan must be the same either way.)
it('claims and settles through indexes, without statistics, never scanning the jobs table', async () => {
  await withMigratedStore(schema, async (store, client) => {
    const jobs = Array.from({ length: 5_000 }, (_, i) => ({ name: 'a', queue: 'q', payload: { i }, priority: i % 3, maxAttempts: 3 }));
    await store.insert({ jobs });
    await store.insert({ jobs: jobs.map((j) => ({ ...j, name: 'b' })) });
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

    // Statistics taken while nothing is active: a generic plan must still find held rows by key.
    await client.query(`analyze "${schema}".jobs`);
    const held = await store.claim({ workerId: 'w', names: ['a'], limit: 100, leaseMs: 30_000 });
    const ids = `{${held.map((j) => j.id).join(',')}}`;
    const attempts = `{${held.map((j) => j.attempts).join(',')}}`;
    const values = JSON.stringify(Object.fromEntries(held.map((j) => [j.id, [{ ok: true }, null]])));
    const completePlan = await explain(sql.completeJobs.text, ['w', ids, attempts, null, values]);
    expect(completePlan).not.toMatch(/Seq Scan on jobs/);
    expect(completePlan).toMatch(/Tid Scan on jobs/);
    // A prepared statement may run a generic plan, planned without the arrays' sizes.
    await client.query(`prepare complete_generic(text, bigint[], int[], bigint, jsonb) as ${sql.completeJobs.text}`);
    await client.query('set plan_cache_mode = force_generic_plan');
    const lit = (v: string) => client.escapeLiteral(v);
    const generic = await explain(`execute complete_generic('w', ${lit(ids)}, ${lit(attempts)}, null, ${lit(values)})`, []);
    expect(generic).not.toMatch(/Seq Scan on jobs|Join Filter|Hash Join|jobs_active_idx/);
    expect(generic).toMatch(/Tid Scan on jobs/);
    expect(generic).toMatch(/Index Scan using jobs_pkey on jobs/);
    const failures = JSON.stringify(
      Object.fromEntries(held.map((j) => [j.id, { error: { name: 'Error', message: 'x', stack: null }, retry_delay_ms: 1_000, logs: [] }])),
    );
    await client.query(`prepare fail_generic(text, bigint[], int[], bigint, text, jsonb) as ${sql.failJobs.text}`);
    const failPlan = await explain(`execute fail_generic('w', ${lit(ids)}, ${lit(attempts)}, null, 'ch', ${lit(failures)})`, []);
    expect(failPlan).not.toMatch(/Seq Scan on jobs|Join Filter|Hash Join|jobs_active_idx/);
    expect(failPlan).toMatch(/Tid Scan on jobs/);
  });
});

// Jobs scheduled for later must cost a claim nothing: it reads only the runnable range of the
// index, so an idle worker polling over a big delayed backlog stays cheap.
it('does not read delayed jobs while claiming', async () => {
  const delayedSchema = uniqueSchema('plan');
  try {
    await withMigratedStore(delayedSchema, async (store, client) => {
      const later = Array.from({ length: 20_000 }, (_, i) => ({ name: 'a', queue: 'q', payload: { i }, priority: 0, maxAttempts: 3, delayMs: 86_400_000 }));
      await store.insert({ jobs: later });
      await store.insert({ jobs: later.slice(0, 5).map((j) => ({ ...j, delayMs: null })) });
      const sql = buildStatements(`"${delayedSchema}"`);
      await client.query('begin');
      const { rows } = await client.query(`explain (analyze, buffers, format json) ${sql.claimJobs.text}`, ['w', ['a'], null, 100, 30_000, null]);
      await client.query('rollback');
      let blocks = 0;
      let claimed = 0;
      const walk = (node: any) => {
        if (node['Index Name'] === 'jobs_pending_idx') blocks += node['Shared Hit Blocks'] + node['Shared Read Blocks'];
        if (node['Node Type'] === 'ModifyTable') claimed = node['Actual Rows'];
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(rows[0]['QUERY PLAN'][0].Plan);
      expect(claimed).toBe(5);
      // The index over 20,005 pending jobs spans well over 50 pages; the runnable range is a few.
      expect(blocks).toBeLessThan(20);
    });
  } finally {
    await dropSchema(delayedSchema);
  }
});

// With statistics saying every job is in one queue, a bare "queue <> all(paused)" test is estimated
// to let no row through, and the planner then prefers reading and sorting every pending job.
it('keeps the ordered index walk once statistics show a single queue', async () => {
  const oneQueue = uniqueSchema('plan');
  try {
    await withMigratedStore(oneQueue, async (store, client) => {
      const jobs = Array.from({ length: 20_000 }, (_, i) => ({ name: 'a', queue: 'q', payload: { i }, priority: 0, maxAttempts: 3 }));
      await store.insert({ jobs });
      await client.query(`analyze "${oneQueue}".jobs`);
      const sql = buildStatements(`"${oneQueue}"`);
      await client.query('begin');
      try {
        const { rows } = await client.query(`explain ${sql.claimJobs.text}`, ['w', ['a'], null, 450, 30_000, null]);
        const plan = rows.map((r) => r['QUERY PLAN'] as string).join('\n');
        expect(plan).toMatch(/Index Scan using jobs_pending_idx on jobs/);
        expect(plan).not.toMatch(/Seq Scan on jobs|Bitmap Index Scan on jobs_pending_idx/);
      } finally {
        await client.query('rollback');
      }
    });
  } finally {
    await dropSchema(oneQueue);
  }
});
