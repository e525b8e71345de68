import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewJob, WakeEvent } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';
import { DATABASE_URL, dropSchema, uniqueSchema } from './helpers.js';

const job = (name = 'wake-job', extra: Partial<NewJob> = {}): NewJob => ({
  name,
  queue: 'default',
  payload: null,
  priority: 0,
  maxAttempts: 3,
  ...extra,
});

/** Resolves with the first event matching `pred` that `store` delivers. */
async function nextEvent(store: ReturnType<typeof pgStore>, pred: (e: WakeEvent) => boolean) {
  let resolve!: (e: WakeEvent) => void;
  const got = new Promise<WakeEvent>((r) => (resolve = r));
  const stop = await store.subscribe((e) => {
    if (pred(e)) resolve(e);
  });
  return { got, stop };
}

async function listenerPids(schema: string): Promise<{ pid: number; query: string }[]> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    const { rows } = await c.query(`select pid, query from pg_stat_activity where application_name = $1`, [
      `mainspring-listener:${schema}`,
    ]);
    return rows;
  } finally {
    await c.end();
  }
}

describe('LISTEN/NOTIFY wake-ups', () => {
  const schema = uniqueSchema('wake');
  const worker = pgStore({ connectionString: DATABASE_URL, schema, max: 2 });
  const producer = pgStore({ connectionString: DATABASE_URL, schema, max: 2, listen: false });
  afterAll(async () => {
    await worker.close();
    await producer.close();
    await dropSchema(schema);
  });

  it('wakes a subscriber when another pool inserts a runnable job', async () => {
    expect(worker.capabilities.push).toBe(true);
    await worker.migrate();
    const { got, stop } = await nextEvent(worker, (e) => e.name === 'wake-job');
    await producer.insert({ jobs: [job()] });
    expect(await got).toEqual({ queue: 'default', name: 'wake-job' });
    await stop();
  });

  it('wakes on promote of a delayed job (and not on its insert)', async () => {
    const seen: WakeEvent[] = [];
    const stop = await worker.subscribe((e) => seen.push(e));
    const [{ job: delayed }] = await producer.insert({ jobs: [job('delayed-job', { delayMs: 3_600_000 })] });
    const { got, stop: stop2 } = await nextEvent(worker, (e) => e.name === 'delayed-job');
    await producer.promote({ id: delayed.id });
    await got;
    // Notifications from one session arrive in commit order: the insert would have come first.
    expect(seen.filter((e) => e.name === 'delayed-job')).toHaveLength(1);
    await stop();
    await stop2();
  });

  it('reconnects the listener after its backend is terminated', async () => {
    const { stop } = await nextEvent(worker, () => false);
    const [before] = await listenerPids(schema);
    expect(before).toBeDefined();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [before.pid]);
    await admin.end();
    // Wait (without a deadline of our own) until a new listener connection has re-issued LISTEN.
    for (;;) {
      const now = await listenerPids(schema);
      if (now.some((p) => p.pid !== before.pid && /^listen /i.test(p.query))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const { got, stop: stop2 } = await nextEvent(worker, (e) => e.name === 'after-restart');
    await producer.insert({ jobs: [job('after-restart')] });
    expect(await got).toEqual({ queue: 'default', name: 'after-restart' });
    await stop();
    await stop2();
  });
});

describe('listen: false (PgBouncer in transaction mode)', () => {
  const schema = uniqueSchema('nolisten');
  const store = pgStore({ connectionString: DATABASE_URL, schema, max: 2, listen: false });
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
  });

  it('opens no listening connection, and the store still works by polling', async () => {
    expect(store.capabilities.push).toBe(false);
    const seen: WakeEvent[] = [];
    const stop = await store.subscribe((e) => seen.push(e));
    const [{ job: inserted }] = await store.insert({ jobs: [job()] });
    expect(await listenerPids(schema)).toEqual([]);
    const claimed = await store.claim({ workerId: 'w', names: ['wake-job'], limit: 1, leaseMs: 10_000 });
    expect(claimed.map((j) => j.id)).toEqual([inserted.id]);
    await stop();
    expect(seen).toEqual([]);
  });
});

describe('a shared application pool', () => {
  const schema = uniqueSchema('shared');
  const app = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  afterAll(async () => {
    await app.end();
    await dropSchema(schema);
  });

  it('is used for queries, lends its settings to the listener, and is left open by close()', async () => {
    const store = pgStore({ pool: app, schema });
    const { got, stop } = await nextEvent(store, (e) => e.name === 'shared-job');
    await store.insert({ jobs: [job('shared-job')] });
    expect(await got).toEqual({ queue: 'default', name: 'shared-job' });
    await stop();
    await store.close();
    const { rows } = await app.query(`select count(*)::int as n from "${schema}".jobs`);
    expect(rows[0].n).toBe(1);
  });
});
