import { ConfigError, isTransientStoreError, type Logger } from '@mainspring/core';
import type { Cluster, Redis } from 'ioredis';

/** What to do when Redis may evict keys: refuse to start (default) or log a warning and go on. */
export type EvictionPolicyMode = 'error' | 'warn';

/**
 * Read `maxmemory-policy`: CONFIG GET first, then INFO memory (managed services such as
 * ElastiCache or Memorystore often disable CONFIG but still report the policy there).
 * Null when neither answers.
 */
export async function readEvictionPolicy(redis: Redis | Cluster): Promise<string | null> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
    if (Array.isArray(reply) && typeof reply[1] === 'string') return reply[1];
  } catch (error) {
    // Redis being away is not an answer; let the caller retry later.
    if (isTransientStoreError(error)) throw error;
    // CONFIG is renamed or forbidden on many managed services; fall through to INFO.
  }
  try {
    const info = await redis.info('memory');
    const match = /^maxmemory_policy:(\S+)/m.exec(info);
    if (match) return match[1];
  } catch (error) {
    if (isTransientStoreError(error)) throw error;
    // INFO may be forbidden too; the caller decides what an unknown policy means.
  }
  return null;
}

/**
 * Refuse to run on a Redis that may evict keys: an evicted job hash or sorted set silently loses
 * jobs. `mode: 'warn'` logs instead of throwing. An unreadable policy only logs a warning.
 */
export async function checkEvictionPolicy(redis: Redis | Cluster, mode: EvictionPolicyMode, logger: Pick<Logger, 'warn'>): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy === null) {
    logger.warn(
      'Could not read Redis maxmemory-policy (CONFIG GET and INFO are unavailable); make sure it is "noeviction", or evicted keys will lose jobs.',
    );
    return;
  }
  if (policy === 'noeviction') return;
  const message =
    `Redis maxmemory-policy is "${policy}": Redis may evict Mainspring's keys under memory pressure and lose jobs. ` +
    'Set "maxmemory-policy noeviction" (redis.conf or CONFIG SET), or pass evictionPolicy: \'warn\' to redisStore() to run anyway.';
  if (mode === 'warn') logger.warn(message);
  else throw new ConfigError(message);
}
