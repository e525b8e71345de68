import pg from 'pg';
import type { SqlExecutor, Statement, TxExecutor } from './types.js';
import { PgListener } from '../listener.js';

export interface PoolExecutorOptions {
  pool: pg.Pool;
  /** Whether close() ends the pool (true when the store created it). */
  ownsPool: boolean;
  /** How the listener connects; null disables LISTEN (PgBouncer in transaction mode). */
  listenConfig: pg.ClientConfig | null;
  /** Use named (server-side prepared) statements. */
  prepare: boolean;
}

/** node-postgres Pool behind the SqlExecutor interface. */
export class PoolExecutor implements SqlExecutor {
  readonly kind = 'pg' as const;
  private listener: PgListener | null = null;
  private closed = false;

  constructor(private readonly opts: PoolExecutorOptions) {}

  private run(client: pg.Pool | pg.PoolClient, stmt: Statement | string, values?: unknown[]) {
    if (typeof stmt === 'string') return client.query(stmt, values);
    if (!this.opts.prepare) return client.query(stmt.text, values);
    return client.query({ name: stmt.name, text: stmt.text, values });
  }

  async query<R = any>(stmt: Statement | string, values?: unknown[]): Promise<R[]> {
    const res = await this.run(this.opts.pool, stmt, values);
    return res.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await this.opts.pool.query(sql);
  }

  async transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    const client = await this.opts.pool.connect();
    let broken: unknown;
    try {
      await client.query('begin');
      const tx: TxExecutor = {
        query: async (stmt, values) => (await this.run(client, stmt, values)).rows,
        exec: async (sql) => {
          await client.query(sql);
        },
      };
      const out = await fn(tx);
      await client.query('commit');
      return out;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch (rollbackErr) {
        // A connection that cannot roll back is not returned to the pool for reuse.
        broken = rollbackErr;
      }
      throw err;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async warm(statements: { stmt: Statement; values: unknown[] }[], connections: number): Promise<void> {
    const { pool } = this.opts;
    const max = (pool as unknown as { options: pg.PoolConfig }).options.max ?? 10;
    // Each task holds one connection at a time, so warming never waits on itself; running side by
    // side, the tasks take distinct connections: every idle one (the pool hands those out first),
    // then new ones up to `connections`.
    const tasks = Math.max(1, Math.min(max, Math.max(connections, pool.totalCount)));
    await Promise.all(
      Array.from({ length: tasks }, async () => {
        const client = await pool.connect();
        try {
          for (const { stmt, values } of statements) await this.run(client, stmt, values);
        } finally {
          client.release();
        }
      }),
    );
  }

  async listen(channel: string, onMessage: (payload: string) => void) {
    if (!this.opts.listenConfig || this.closed) return null;
    this.listener ??= new PgListener(this.opts.listenConfig);
    return this.listener.add(channel, onMessage);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.close();
    if (this.opts.ownsPool) await this.opts.pool.end();
  }
}
