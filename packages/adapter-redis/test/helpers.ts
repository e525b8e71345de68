import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisStore, type RedisStore, type RedisStoreOptions } from '../src/index.js';

// The shared server at 6379, in a database of its own: other suites (the benchmarks) may fill db 0,
// and cleaning up by SCAN stays cheap when only this package's tests write here.
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/11';

/** A prefix no other test (or test file running in parallel) uses. */
export function uniquePrefix(label: string): string {
  return `mstest:${label}:${randomBytes(5).toString('hex')}`;
}

/** A store on a fresh prefix, migrated. */
export async function freshStore(label: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
  const store = redisStore({ url: REDIS_URL, prefix: uniquePrefix(label), ...options });
  await store.migrate();
  return store;
}

/** Every key of a store (all of them carry its `{prefix}` hash tag). */
export async function keysOf(redis: Redis, base: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  const pattern = `${base.replace(/[*?[\]\\{}]/g, '\\$&')}*`;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    out.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/** Delete every key of a store. */
export async function dropKeys(base: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await keysOf(redis, base);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
}
