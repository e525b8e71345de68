import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { ConfigError } from '@mainspring/core';
import { PgliteExecutor } from './executor/pglite.js';
import { PoolExecutor } from './executor/pool.js';
import { PgStore } from './store.js';
import { quoteSchema } from './schema-name.js';

/** Options of {@link pgStore}. */
export interface PgStoreOptions {
  /** `postgres://user:pass@host:5432/db`. Needed unless `pool` is given. */
  connectionString?: string;
  /** Share the application's pool instead of creating one (it is not ended by `close()`). */
  pool?: pg.Pool;
  /** Schema holding Mainspring's tables; created by the migrations. Default `mainspring`. */
  schema?: string;
  /** Size of the pool the store creates. Default 10. */
  max?: number;
  /**
   * Hold one extra connection that LISTENs for wake-ups. Default true. Set false behind PgBouncer
   * in transaction mode: wake-ups then never fire and workers find jobs by polling.
   */
  listen?: boolean;
  /** Apply pending migrations before the first operation. Default true; with false call `migrate()` yourself. */
  migrate?: boolean;
  /**
   * Use named (server-side prepared) statements. Default true. Set false behind a pooler that
   * cannot track prepared statements (PgBouncer before 1.21 in transaction mode).
   */
  preparedStatements?: boolean;
}

/** Options of {@link pgStore.embedded}. */
export interface EmbeddedStoreOptions {
  schema?: string;
  migrate?: boolean;
}

/**
 * A Mainspring store on PostgreSQL through node-postgres.
 *
 * @example
 * const store = pgStore({ connectionString: process.env.DATABASE_URL });
 * const jobs = createMainspring({ store, jobs: [sendEmail] });
 */
export function pgStore(options: PgStoreOptions): PgStore {
  const schema = options.schema ?? 'mainspring';
  quoteSchema(schema); // a bad name fails here, before any connection exists
  if (!options.pool && !options.connectionString) {
    throw new ConfigError('pgStore needs a connectionString or a pool');
  }
  const ownsPool = !options.pool;
  const prepare = options.preparedStatements ?? true;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      // An unreachable server (rather than a refused connection) fails calls instead of hanging them.
      connectionTimeoutMillis: 30_000,
      // Every statement is Mainspring's own and written to plan well without its parameter values,
      // so its sessions plan each prepared statement once instead of once per call: Postgres
      // otherwise keeps re-planning the claim and insert (their generic plans look costlier on
      // paper), which was about half of an idle worker's enqueue-to-start time. Not with unnamed
      // statements (a pooler in transaction mode). JIT is off: these are short statements, and a
      // generic plan's cost estimate over a large table made Postgres spend ~0.4 s compiling each
      // claim. `options` in the connection string wins.
      options: prepare ? '-c plan_cache_mode=force_generic_plan -c jit=off' : '-c jit=off',
    });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the process.
  if (ownsPool) pool.on('error', () => {});
  const listen = options.listen ?? true;
  const listenConfig: pg.ClientConfig | null = listen
    ? {
        ...(options.connectionString ? { connectionString: options.connectionString } : poolClientConfig(pool)),
        application_name: `mainspring-listener:${schema}`,
        connectionTimeoutMillis: 10_000,
        // TCP keepalive notices a silently dropped connection, which an idle LISTEN would not.
        keepAlive: true,
      }
    : null;
  const db = new PoolExecutor({ pool, ownsPool, listenConfig, prepare });
  return new PgStore(db, { schema, migrate: options.migrate ?? true, push: listen });
}

/**
 * A Mainspring store on embedded Postgres (PGlite): no server to run. Give a directory to keep
 * data on disk, `'memory://'` for a throwaway database (tests), or a PGlite instance you own.
 *
 * @example
 * const store = pgStore.embedded('./.mainspring');
 */
pgStore.embedded = function embedded(dataDir: string | PGlite = 'memory://', options: EmbeddedStoreOptions = {}): PgStore {
  quoteSchema(options.schema ?? 'mainspring');
  const owns = typeof dataDir === 'string';
  // Loaded on first use: server-only processes never pay for the WASM module.
  const db = typeof dataDir === 'string' ? import('@electric-sql/pglite').then(({ PGlite }) => new PGlite(dataDir)) : dataDir;
  return new PgStore(new PgliteExecutor(db, owns), {
    schema: options.schema ?? 'mainspring',
    migrate: options.migrate ?? true,
    push: true,
  });
};

// The pool's own connection settings, for a listener next to a caller-supplied pool.
function poolClientConfig(pool: pg.Pool): pg.ClientConfig {
  const { max: _max, idleTimeoutMillis: _idle, ...rest } = (pool as unknown as { options: pg.PoolConfig }).options;
  return rest as pg.ClientConfig;
}
