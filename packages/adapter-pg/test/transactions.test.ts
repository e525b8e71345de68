import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createMainspring, defineJob, silentLogger, type NewJob } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const job = (key?: string): NewJob => ({ name: 'tx-job', queue: 'default', payload: { a: 1 }, priority: 0, maxAttempts: 3, key });

describe('transactional enqueue on Postgres', () => {
  const schema = uniqueSchema('tx');
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  const app = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  afterAll(async () => {
    await store.close();
    await app.end();
    await dropSchema(schema);
  });

  it('reports the capability', () => {
    expect(store.capabilities.transactions).toBe(true);
  });

  it('creates the job when the caller commits, and only then', async () => {
    await store.migrate();
    const client = await app.connect();
    try {
      await client.query('begin');
      const [res] = await store.insert({ jobs: [job()], tx: client });
      expect(res.deduplicated).toBe(false);
      // Inside the transaction the row is there; outside it is not yet.
      const inside = await client.query(`select state from "${schema}".jobs where id = $1`, [res.job.id]);
      expect(inside.rows).toEqual([{ state: 'pending' }]);
      expect(await store.get({ id: res.job.id })).toBeNull();
      await client.query('commit');
      expect((await store.get({ id: res.job.id }))?.state).toBe('pending');
      const claimed = await store.claim({ workerId: 'w', names: ['tx-job'], limit: 10, leaseMs: 10_000 });
      expect(claimed.map((j) => j.id)).toEqual([res.job.id]);
    } finally {
      client.release();
    }
  });

  it('leaves nothing behind when the caller rolls back', async () => {
    const client = await app.connect();
    let id: string;
    try {
      await client.query('begin');
      await client.query(`create temp table side_effect (x int) on commit drop`);
      [{ job: { id } }] = await store.insert({ jobs: [job('rolled-back')], tx: client });
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await store.get({ id })).toBeNull();
    expect((await store.list({ key: 'rolled-back' })).jobs).toEqual([]);
    // The key was never taken, so a later insert creates a new job.
    const [again] = await store.insert({ jobs: [job('rolled-back')] });
    expect(again.deduplicated).toBe(false);
  });

  it('refuses a tx that is not a client', async () => {
    await expect(store.insert({ jobs: [job()], tx: { nope: true } })).rejects.toThrow(/tx/);
  });
});

describe('transactional enqueue on PGlite', () => {
  const db = new PGlite('memory://');
  const store = pgStore.embedded(db, { schema: 'tx' });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('commits with the transaction', async () => {
    await store.migrate();
    const id = await db.transaction(async (tx) => (await store.insert({ jobs: [job()], tx }))[0].job.id);
    expect((await store.get({ id }))?.state).toBe('pending');
  });

  it('rolls back with the transaction', async () => {
    let id = '';
    await db.transaction(async (tx) => {
      [{ job: { id } }] = await store.insert({ jobs: [job()], tx });
      await tx.rollback();
    });
    expect(id).not.toBe('');
    expect(await store.get({ id })).toBeNull();
  });
});

describe('transactional enqueue through createMainspring', () => {
  const sendReceipt = defineJob<{ orderId: number }>({ name: 'receipt.send' });

  it('on Postgres: the first call may be an enqueue inside the app transaction; it commits and rolls back with it', async () => {
    const schema = uniqueSchema('txms');
    const app = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const ms = createMainspring({ store: pgStore({ connectionString: DATABASE_URL, schema, listen: false }), jobs: [sendReceipt], logger: silentLogger });
    try {
      const client = await app.connect();
      await client.query('begin');
      const kept = await ms.enqueue(sendReceipt, { orderId: 1 }, { tx: client });
      await client.query('commit');
      await client.query('begin');
      const dropped = await ms.enqueue(sendReceipt, { orderId: 2 }, { tx: client });
      await client.query('rollback');
      client.release();
      expect((await ms.getJob(kept.id))?.payload).toEqual({ orderId: 1 });
      expect(await ms.getJob(dropped.id)).toBeNull();
    } finally {
      await ms.close();
      await app.end();
      await dropSchema(schema);
    }
  });

  it('on PGlite: an enqueue inside a transaction before ready() fails clearly instead of hanging; after ready() it works', async () => {
    const db = new PGlite('memory://');
    const ms = createMainspring({ store: pgStore.embedded(db, { schema: 'txms' }), jobs: [sendReceipt], logger: silentLogger });
    try {
      await expect(db.transaction((tx) => ms.enqueue(sendReceipt, { orderId: 1 }, { tx }))).rejects.toThrow(/ready\(\)/);
      await ms.ready();
      const { id } = await db.transaction((tx) => ms.enqueue(sendReceipt, { orderId: 2 }, { tx }));
      expect((await ms.getJob(id))?.state).toBe('pending');
    } finally {
      await ms.close();
      await db.close();
    }
  });
});
