import type { WakeEvent } from '@mainspring/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore, type RedisStore } from '../src/index.js';
import { dropKeys, REDIS_URL, uniquePrefix } from './helpers.js';

/** CLIENT LIST entries whose name is exactly `name`, as { id, name }. */
async function clientsNamed(admin: Redis, name: string): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string])))
    .filter((c) => c.name === name)
    .map((c) => c.id);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The connections are found by their client names (connectionName) and killed from outside, as a
// proxy timeout, a failover or an operator would; the store must come back by itself.
describe('reconnect after CLIENT KILL', () => {
  const prefix = uniquePrefix('reconnect');
  const connectionName = `mstest-reconnect-${process.pid}-${Date.now()}`;
  let store: RedisStore;
  let other: RedisStore;
  let admin: Redis;

  beforeAll(async () => {
    store = redisStore({ url: REDIS_URL, prefix, connectionName });
    other = redisStore({ url: REDIS_URL, prefix });
    admin = new Redis(REDIS_URL);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
    admin?.disconnect();
    await dropKeys(`{${prefix}}:`);
  });

  const job = { name: 'reconnect-job', queue: 'default', payload: null, priority: 0, maxAttempts: 3 };

  it('keeps working and keeps receiving wake-ups after both connections are killed', async () => {
    const events: WakeEvent[] = [];
    const unsubscribe = await store.subscribe((e) => events.push(e));

    const before = await clientsNamed(admin, connectionName);
    const beforeSub = await clientsNamed(admin, `${connectionName}:sub`);
    expect(before).toHaveLength(1);
    expect(beforeSub).toHaveLength(1);
    for (const id of [...before, ...beforeSub]) await admin.client('KILL', 'ID', id);

    // Commands issued right after the kill wait for the reconnect instead of failing.
    const [inserted] = await store.insert({ jobs: [job] });
    expect(inserted.job.state).toBe('pending');
    const after = await clientsNamed(admin, connectionName);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);

    // The subscriber reconnects and re-subscribes: a job inserted by another process wakes us.
    await until('the subscriber to reconnect', async () => ((await clientsNamed(admin, `${connectionName}:sub`)).length === 1 ? true : undefined));
    await until('a wake-up after reconnect', async () => {
      events.length = 0;
      await other.insert({ jobs: [job] });
      await new Promise((r) => setTimeout(r, 50));
      return events.some((e) => e.name === 'reconnect-job') ? true : undefined;
    });
    await unsubscribe();
    expect(await clientsNamed(admin, `${connectionName}:sub`)).toEqual([]);
  });
});
