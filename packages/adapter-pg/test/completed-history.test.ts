import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { pgStore } from '@mainspring/adapter-pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('history');
afterAll(() => dropSchema(schema));

// Since migration 0002 a completed attempt stays on its job row. Jobs completed before it also have
// an attempts row for that attempt: history, metrics and retry must count it once, not twice.
it('counts a completed attempt once for jobs completed before migration 0002', async () => {
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await store.migrate();
    const t0 = Date.UTC(2026, 0, 1);
    const [{ job }] = await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: null, priority: 0, maxAttempts: 1 }], now: t0 });
    await store.claim({ workerId: 'w1', names: ['a'], limit: 1, leaseMs: 30_000, now: t0 });
    await store.complete({ workerId: 'w1', items: [{ id: job.id, attempt: 1 }], now: t0 + 10 });
    // What 0001 wrote on completion: the attempts row.
    await client.connect();
    await client.query(
      `insert into "${schema}".attempts (job_id, attempt, name, queue, worker_id, started_at, finished_at, outcome, logs)
       values ($1, 1, 'a', 'q', 'w1', to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0), 'completed', '[{"at":"2026-01-01T00:00:00.005Z","message":"old"}]')`,
      [job.id, t0, t0 + 10],
    );

    const history = await store.attempts({ jobId: job.id });
    expect(history.map((a) => [a.attempt, a.outcome, a.logs.map((l) => l.message)])).toEqual([[1, 'completed', ['old']]]);
    expect(await store.metrics({ from: t0, to: t0 + 1_000 })).toMatchObject({ completed: 1, failed: 0 });

    await store.retry({ id: job.id, attempts: 1, now: t0 + 100 });
    expect((await store.attempts({ jobId: job.id })).map((a) => [a.attempt, a.outcome])).toEqual([[1, 'completed']]);
  } finally {
    await client.end();
    await store.close();
  }
});
