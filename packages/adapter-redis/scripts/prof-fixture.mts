// Shared by the profiling scripts: a store on PROF_URL filled with N no-op jobs, and its cleanup.
import { redisStore, type RedisStore } from '@mainspring/adapter-redis';
import { Redis } from 'ioredis';

export const N = Number(process.env.N ?? 20000);

export async function filledStore(label: string): Promise<{ store: RedisStore; admin: Redis; cleanup: () => Promise<void> }> {
  const prefix = label + Date.now();
  const url = process.env.PROF_URL ?? 'redis://127.0.0.1:6391/0';
  const admin = new Redis(url);
  const store = redisStore({ url, prefix });
  await store.migrate();
  for (let i = 0; i < N; i += 5000)
    await store.insert({ jobs: Array.from({ length: 5000 }, (_, k) => ({ name: 'noop', queue: 'bench', payload: { i: i + k, t: Date.now() }, priority: 0, maxAttempts: 3 })) });
  const cleanup = async () => {
    const keys = await admin.keys(`{${prefix}}*`);
    for (let i = 0; i < keys.length; i += 1000) await admin.unlink(...keys.slice(i, i + 1000));
    await store.close();
    admin.disconnect();
  };
  return { store, admin, cleanup };
}

/** Claims every queued job, `batch` at a time. */
export async function claimAll(store: RedisStore, batch: number) {
  const all = [];
  for (;;) {
    const got = await store.claim({ workerId: 'w1', names: ['noop'], limit: batch, leaseMs: 30000 });
    if (!got.length) return all;
    all.push(...got);
  }
}
