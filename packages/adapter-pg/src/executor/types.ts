/** A statement with a stable name so a server connection can prepare it once and reuse the plan. */
export interface Statement {
  name: string;
  text: string;
}

/** Anything with node-postgres' or PGlite's `query(text, values)` shape: a pg client or a PGlite transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** A connection scoped to one transaction. */
export interface TxExecutor {
  query<R = any>(stmt: Statement | string, values?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * What the store needs from a database: one-shot statements, transactions and notifications.
 * The pool and PGlite executors implement it so the store itself is written once.
 */
export interface SqlExecutor extends TxExecutor {
  readonly kind: 'pg' | 'pglite';
  transaction<T>(fn: (tx: TxExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs each statement once on every idle connection and on at least `connections` (the pool opens
   * them if it has to, up to its size), so their first real use finds the statement planned.
   */
  warm(statements: { stmt: Statement; values: unknown[] }[], connections: number): Promise<void>;
  /** Calls `onMessage` for each NOTIFY on `channel`; null when this executor does not listen. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/** Wraps a caller's own client (inside their transaction) as a TxExecutor. */
export function wrapQueryable(q: Queryable): TxExecutor {
  return {
    async query(stmt, values) {
      const text = typeof stmt === 'string' ? stmt : stmt.text;
      const res = await q.query(text, values);
      return res.rows;
    },
    async exec(sql) {
      await q.query(sql);
    },
  };
}
