import type { PGlite } from '@electric-sql/pglite';
import type { SqlExecutor, Statement, TxExecutor } from './types.js';

/**
 * PGlite behind the SqlExecutor interface. PGlite is a single connection; its own exclusive
 * lock serializes every query and holds other queries back while a transaction is open, so
 * statements from concurrent callers never interleave inside one another's transactions.
 */
export class PgliteExecutor implements SqlExecutor {
  readonly kind = 'pglite' as const;
  private closed = false;

  /** Accepts a promise so PGlite (a large WASM module) is loaded only by processes that use it. */
  private readonly ready: Promise<PGlite>;

  constructor(
    db: PGlite | Promise<PGlite>,
    private readonly ownsDb: boolean,
  ) {
    this.ready = Promise.resolve(db);
  }

  async query<R = any>(stmt: Statement | string, values?: unknown[]): Promise<R[]> {
    const text = typeof stmt === 'string' ? stmt : stmt.text;
    const res = await (await this.ready).query(text, values);
    return res.rows as R[];
  }

  async exec(sql: string): Promise<void> {
    await (await this.ready).exec(sql);
  }

  async transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T> {
    return (await this.ready).transaction(async (t) =>
      fn({
        query: async (stmt, values) => (await t.query(typeof stmt === 'string' ? stmt : stmt.text, values)).rows as any[],
        exec: async (sql) => {
          await t.exec(sql);
        },
      }),
    );
  }

  async warm(statements: { stmt: Statement; values: unknown[] }[]): Promise<void> {
    // One connection: each statement once.
    for (const { stmt, values } of statements) await this.query(stmt, values);
  }

  async listen(channel: string, onMessage: (payload: string) => void) {
    if (this.closed) return null;
    // PGlite quotes nothing itself: pass the identifier already quoted.
    const unlisten = await (await this.ready).listen(`"${channel}"`, onMessage);
    return async () => {
      if (!this.closed) await unlisten();
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDb) await (await this.ready).close();
  }
}
