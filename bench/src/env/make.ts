import { rm } from 'node:fs/promises';
import type { Backend, BenchEnv } from '../drivers/types.js';
import { freshEmbeddedDir } from './embedded.js';
import { createDatabase, dropDatabase } from './postgres.js';
import { clearPrefix, newPrefix, REDIS_DB, REDIS_HOST, REDIS_PORT } from './redis.js';

/** A fresh environment for one scenario run, and how to remove it afterwards. */
export async function makeEnv(backend: Backend, tag: string): Promise<{ env: BenchEnv; cleanup: () => Promise<void> }> {
  const env: BenchEnv = { pgUrl: null, redis: null, dataDir: null };
  if (backend === 'postgres') {
    const db = await createDatabase(tag);
    env.pgUrl = db.url;
    return { env, cleanup: () => dropDatabase(db.name) };
  }
  if (backend === 'redis') {
    const prefix = newPrefix(tag);
    env.redis = { host: REDIS_HOST, port: REDIS_PORT, db: REDIS_DB, prefix };
    return { env, cleanup: async () => void (await clearPrefix(prefix)) };
  }
  const dir = await freshEmbeddedDir(tag);
  env.dataDir = dir;
  return { env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
