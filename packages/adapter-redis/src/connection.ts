import { Redis, type RedisOptions } from 'ioredis';

/**
 * Reconnect quickly, then back off: 50 ms, 100 ms, 200 ms ... capped at 2 s, forever. A store that
 * is only away for a restart is back within a fraction of a second.
 */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.max(0, times - 1), 2_000);
}

/** Options every connection the store opens gets (callers' `redisOptions` override them). */
export function connectionOptions(connectionName: string, extra: RedisOptions = {}): RedisOptions {
  return {
    connectionName,
    retryStrategy: reconnectDelay,
    // Many small commands issued in one tick (get, counts, schedules) go out as one pipeline write.
    // Scripts do not use it (src/scripts.ts): they must not wait for one another's round trip.
    enableAutoPipelining: true,
    // A command waits through a few reconnects, then fails so the runner can back off and report.
    maxRetriesPerRequest: 10,
    ...extra,
  };
}

export function connect(url: string, connectionName: string, extra?: RedisOptions): Redis {
  const redis = new Redis(url, connectionOptions(connectionName, extra));
  // Connection errors surface through failed commands; without a listener ioredis prints them all.
  redis.on('error', () => {});
  return redis;
}
