import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { pgStore } from '@mainspring/adapter-pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('history');
afterAll(() => dropSchema(schema));

// Since migration 0002 a completed attempt stays on its job row. Under 0001 it was an attempts row:
// 0002 moves it onto the row, so history, metrics and retry count it once, with its worker and logs.
it('migration 0002 moves the completing attempt of jobs completed under 0001 onto their rows', async () => {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  try {
    // A schema at version 1 holding a job completed on its second attempt, as 0001 stored it.
    await client.query(`create schema "${schema}"`);
    await client.query(`set search_path to "${schema}"`);
    await client.query(readFileSync(new URL('../migrations/0001_init.sql', import.meta.url), 'utf8'));
    await client.query(`create table migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    await client.query(`insert into migrations (version, name) values (1, 'init')`);
    const t0 = Date.UTC(2026, 0, 1);
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const { rows } = await client.query(
      `insert into jobs (name, queue, state, attempts, max_attempts, run_at, created_at, started_at, finished_at)
       values ('a', 'q', 'completed', 2, 3, $1, $1, $2, $3) returning id::text as id`,
      [at(0), at(100), at(110)],
    );
    const id = rows[0].id as string;
    await client.query(
      `insert into attempts (job_id, attempt, name, queue, worker_id, started_at, finished_at, outcome, error, logs) values
       ($1, 1, 'a', 'q', 'w1', $2, $3, 'failed', '{"name":"Error","message":"x","stack":null}', '[]'),
       ($1, 2, 'a', 'q', 'w2', $4, $5, 'completed', null, '[{"at":"2026-01-01T00:00:00.105Z","message":"done"}]')`,
      [id, at(0), at(10), at(100), at(110)],
    );
    await client.query('reset search_path');

    await store.migrate();
    const history = await store.attempts({ jobId: id });
    expect(history.map((a) => [a.attempt, a.outcome, a.workerId, a.logs.map((l) => l.message)])).toEqual([
      [1, 'failed', 'w1', []],
      [2, 'completed', 'w2', ['done']],
    ]);
    expect(await store.metrics({ from: t0, to: t0 + 1_000 })).toMatchObject({ completed: 1, failed: 1 });
    const { rows: left } = await client.query(`select count(*)::int as n from "${schema}".attempts where outcome = 'completed'`);
    expect(left[0].n).toBe(0);

    await store.retry({ id, attempts: 1, now: t0 + 200 });
    expect((await store.attempts({ jobId: id })).map((a) => [a.attempt, a.outcome, a.workerId])).toEqual([
      [1, 'failed', 'w1'],
      [2, 'completed', 'w2'],
    ]);
  } finally {
    await client.end();
    await store.close();
  }
});
