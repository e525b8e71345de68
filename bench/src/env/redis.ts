import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Benchmarks use their own logical database (never db 0, which the test suites share) and a
 * prefix unique to each run, so a run starts empty and two harnesses never touch each other's keys.
 */
export const REDIS_HOST = process.env.BENCH_REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.BENCH_REDIS_PORT ?? 6379);
export const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 15);

export function newPrefix(tag: string): string {
  return `bench:${tag.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}:${randomBytes(4).toString('hex')}`;
}

function connect(): Redis {
  return new Redis({ host: REDIS_HOST, port: REDIS_PORT, db: REDIS_DB, lazyConnect: false });
}

/** Deletes every key containing the prefix (Mainspring wraps it in a `{…}` hash tag) (UNLINK frees memory off the main thread). */
export async function clearPrefix(prefix: string): Promise<number> {
  const redis = connect();
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

export async function redisVersion(): Promise<string> {
  const redis = connect();
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}
