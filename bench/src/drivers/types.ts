/** What every benchmarked library is reduced to, so each scenario runs them the same way. */

export type Backend = 'postgres' | 'redis' | 'embedded';
export type Variant = 'tuned' | 'defaults';

/** A job's payload: `i` numbers it, `t` (monotonic ms, see clock.ts) stamps its enqueue for latency. */
export interface BenchPayload {
  i: number;
  t?: number;
}

/** Where one scenario run keeps its data; made fresh for each run and removed after it. */
export interface BenchEnv {
  /** A freshly created, empty database (postgres backends). */
  pgUrl: string | null;
  /** A Redis logical database and a key prefix no other run uses (redis backends). */
  redis: { host: string; port: number; db: number; prefix: string } | null;
  /** A fresh directory (embedded backend). */
  dataDir: string | null;
}

/** The producing and inspecting side: runs in the scenario's coordinating process. */
export interface BenchClient {
  /** Creates schemas, tables and queues; runs once per fresh environment before anything else. */
  prepare(): Promise<void>;
  /** The library's bulk insert (one call per chunk the harness hands it). */
  insertMany(payloads: BenchPayload[]): Promise<void>;
  /** The library's ordinary single enqueue. */
  insertOne(payload: BenchPayload): Promise<void>;
  /** Jobs not yet finished (queued, delayed, retrying or running), as the store reports them. */
  unfinished(): Promise<number>;
  /**
   * Jobs finished (completed or failed for good) since the environment was made, as the store
   * reports them. Optional: a library that deletes finished jobs cannot say. Where present, a
   * drain checks this instead of `unfinished`, whose cost grows with the backlog still queued.
   */
  finished?(): Promise<number>;
  /** Facts about the store after a drain that the report states, e.g. completed jobs kept. */
  inspect?(): Promise<Record<string, number | string | boolean>>;
  close(): Promise<void>;
}

/** The consuming side: a worker with a no-op handler that reports each job it starts. */
export interface BenchWorker {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Driver {
  /** `lib-backend:variant`, e.g. `pg-boss:tuned`. */
  id: string;
  lib: 'mainspring' | 'bullmq' | 'pg-boss' | 'graphile-worker';
  backend: Backend;
  variant: Variant;
  /** Installed version of the library. */
  version(): string;
  /** The settings this variant runs with, printed beside the results. */
  settings: Record<string, unknown>;
  /** True when workers must share the coordinator's process and client (an embedded database). */
  inProcess: boolean;
  openClient(env: BenchEnv): Promise<BenchClient>;
  /**
   * Opens a worker that calls `onJob` at the start of every handler run.
   * `shared` is the coordinator's client when `inProcess` is true.
   */
  openWorker(env: BenchEnv, onJob: (payload: BenchPayload) => void, shared?: BenchClient): Promise<BenchWorker>;
}
