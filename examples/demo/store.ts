import type { Store } from '@mainspring/core';
import { pgStore } from '@mainspring/adapter-pg';

/**
 * The demo's store: embedded Postgres (PGlite) kept in ./.mainspring, so `npm start` needs no
 * server. Set DATABASE_URL to run the same demo on a Postgres server instead.
 */
export async function openStore(): Promise<Store> {
  if (process.env.DATABASE_URL) return pgStore({ connectionString: process.env.DATABASE_URL });
  return pgStore.embedded(process.env.MAINSPRING_DATA_DIR ?? new URL('./.mainspring', import.meta.url).pathname);
}
