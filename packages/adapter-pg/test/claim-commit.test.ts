import { afterAll, expect, it } from 'vitest';
import { buildStatements } from '../src/sql/index.js';
import { dropSchema, uniqueSchema, withMigratedStore } from './helpers.js';

const schema = uniqueSchema('claimcommit');
afterAll(() => dropSchema(schema));

// A claim's commit does not wait for its WAL flush (losing a claim in a crash loses no job: the
// row is still pending), and the setting must not leak past the claim's own transaction.
it('claims commit asynchronously, and only the claim', async () => {
  await withMigratedStore(schema, async (store, client) => {
    await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: 1, priority: 0, maxAttempts: 3 }] });
    const sql = buildStatements(`"${schema}"`);
    const setting = async () => (await client.query('show synchronous_commit')).rows[0].synchronous_commit;
    expect(await setting()).toBe('on');
    await client.query('begin');
    const { rows } = await client.query(sql.claimJobs.text, ['w', ['a'], null, 10, 30_000, null]);
    expect(rows[0].jobs).toHaveLength(1);
    expect(await setting()).toBe('off');
    await client.query('commit');
    expect(await setting()).toBe('on');

    // The limited claim (a transaction of its own in the store) commits the same way.
    await store.insert({ jobs: [{ name: 'a', queue: 'q', payload: 2, priority: 0, maxAttempts: 3 }] });
    await client.query('begin');
    const limits = JSON.stringify({ queues: [{ queue: 'q', concurrency: 5 }], names: [] });
    const limited = await client.query(sql.claimJobsLimited.text, ['w', ['a'], null, 10, 30_000, null, limits, 50]);
    expect(limited.rows[0].jobs).toHaveLength(1);
    expect(await setting()).toBe('off');
    await client.query('rollback');
    expect(await setting()).toBe('on');
  });
});
