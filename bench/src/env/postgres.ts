import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the benchmarks create their throwaway databases on; override with BENCH_PG_URL. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named `bench_<tag>_<random>` and returns its URL. */
export async function createDatabase(tag: string): Promise<{ name: string; url: string }> {
  const name = `bench_${tag.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE fails while anyone else is connected to its template; that passes quickly.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 10) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops a benchmark database, closing any connection a crashed run left open. */
export async function dropDatabase(name: string): Promise<void> {
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function postgresVersion(): Promise<string> {
  return admin(async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
}

/**
 * Settles a database after a bulk fill: VACUUM ANALYZE, then CHECKPOINT. A million fresh rows leave
 * autovacuum, autoanalyze and a checkpoint due, and they would otherwise land in the middle of the
 * timed drain on a two-core machine; a backlog that has been queued for a while has had them.
 */
export async function settleDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
