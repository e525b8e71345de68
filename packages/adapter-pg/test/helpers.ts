import pg from 'pg';
import { pgStore, type PgStore } from '@mainspring/adapter-pg';

/** The test server (CI starts Postgres 15 on loopback with trust auth). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let n = 0;
/** A schema name no other test (in any process) uses. */
export function uniqueSchema(tag: string): string {
  return `ms_${tag}_${process.pid}_${Date.now().toString(36)}_${n++}`;
}

/** Drops a test schema with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` with a migrated store on `schema` (no LISTEN connection) and a connected plain client
 * on the same database, for tests that look at SQL and plans directly; closes both afterwards.
 */
export async function withMigratedStore(schema: string, fn: (store: PgStore, client: pg.Client) => Promise<void>): Promise<void> {
  const store = pgStore({ connectionString: DATABASE_URL, schema, listen: false });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await store.migrate();
    await client.connect();
    await fn(store, client);
  } finally {
    await client.end();
    await store.close();
  }
}
