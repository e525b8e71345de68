/**
 * The Store contract: the one boundary between Mainspring's core and a storage engine.
 *
 * Every method takes one params object. Methods whose outcome depends on time accept `now`
 * (epoch milliseconds); when it is omitted the store reads its own clock (Postgres `now()`,
 * Redis `TIME`), never the worker's. Tests pass `now` so they never sleep.
 *
 * Job ids are decimal strings of integers that grow with insertion order within one store, so
 * lists can page by id. Core wraps every call for events and logging; stores stay plain and never
 * call back into the runner except through `subscribe` listeners.
 *
 * The memory, Postgres and Redis stores all pass `runStoreConformance` from
 * `@mainspring/core/testing`, which is the executable form of this file.
 */

/** Lifecycle of a job. `failed` is the dead-letter set; `completed`, `failed`, `cancelled` are terminal. */
export type JobState = 'pending' | 'active' | 'completed' | 'failed' | 'cancelled';

export const JOB_STATES: readonly JobState[] = ['pending', 'active', 'completed', 'failed', 'cancelled'];

/** A job as stored. Dates are absolute instants from the store's clock. */
export interface JobRecord {
  id: string;
  name: string;
  queue: string;
  state: JobState;
  payload: unknown;
  /** What the handler returned (JSON), once completed. */
  result: unknown;
  /** Message of the last error, if any attempt failed. */
  error: string | null;
  /** Attempts started so far (a claim increments it). */
  attempts: number;
  maxAttempts: number;
  /** Higher runs first. */
  priority: number;
  /** When the job becomes claimable (new, delayed, or backing off before a retry). */
  runAt: Date;
  createdAt: Date;
  /** Start of the current or last attempt. */
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Idempotency key: at most one live job per (name, key). */
  key: string | null;
  /** Tenant or any group key; concurrency and rate limits may apply per group. */
  tenant: string | null;
  /** 0..100 as reported by the handler. */
  progress: number | null;
  /** Worker holding the lease while active. */
  workerId: string | null;
  /** Lease expiry while active. */
  lockedUntil: Date | null;
  /** Free-form markers set at enqueue, e.g. `{ schedule, fireTime, backfill }`. */
  meta: Record<string, unknown> | null;
}

/** A job to insert. Either `runAt` or `delayMs` (relative to the store's clock) may be given; neither means now. */
export interface NewJob {
  name: string;
  queue: string;
  payload: unknown;
  priority: number;
  maxAttempts: number;
  runAt?: Date | null;
  delayMs?: number | null;
  key?: string | null;
  /**
   * Keep the key after the job completes for this long: a new insert with the same (name, key)
   * within the window is deduplicated against the completed job.
   */
  keyWindowMs?: number | null;
  tenant?: string | null;
  meta?: Record<string, unknown> | null;
}

export interface InsertResult {
  job: JobRecord;
  /** True when an existing live (or still windowed) job with the same (name, key) was returned instead. */
  deduplicated: boolean;
}

/** One attempt of a job: what the dashboard shows as history. */
export interface AttemptRecord {
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  workerId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /**
   * `running` while held; `completed`; `failed` (the handler threw); `stalled` (lease expired);
   * `released` (handed back at shutdown, not counted); `cancelled` (cancelled while running).
   */
  outcome: 'running' | 'completed' | 'failed' | 'stalled' | 'released' | 'cancelled';
  error: ErrorInfo | null;
  logs: LogEntry[];
}

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string | null;
}

export interface LogEntry {
  at: Date;
  message: string;
}

/** Limits a claim must honour across every process sharing the store. */
export interface ClaimLimits {
  /** Max active jobs per queue (across all processes). */
  queues?: Record<string, { concurrency?: number }>;
  /** Per job name: total concurrency, per-group concurrency and rate limits. */
  names?: Record<
    string,
    {
      concurrency?: number;
      /** Max active jobs per (name, tenant); jobs without a tenant share one group. */
      groupConcurrency?: number;
      /** At most `max` claims per `perMs`, counted by claim time; per (name, tenant) when `byGroup`. */
      rate?: { max: number; perMs: number; byGroup?: boolean };
    }
  >;
}

export interface ClaimParams {
  workerId: string;
  /** Only jobs with these names are claimed: a runner claims what it has handlers for. */
  names: string[];
  /** Restrict to these queues; omitted means any queue. */
  queues?: string[];
  /** At most this many jobs. */
  limit: number;
  leaseMs: number;
  limits?: ClaimLimits;
  now?: number;
}

export interface CompleteItem {
  id: string;
  /** The attempt being settled; a settle for any other attempt is lost. */
  attempt: number;
  result?: unknown;
  logs?: LogEntry[];
}

export interface FailItem {
  id: string;
  attempt: number;
  error: ErrorInfo;
  /** Delay before the next attempt, computed by core from the job's policy; `null` fails the job for good. */
  retryDelayMs: number | null;
  logs?: LogEntry[];
}

export interface SettleResult {
  /** Ids whose settle was applied. */
  settled: string[];
  /** Ids the worker no longer held (lease expired, cancelled, removed): nothing was changed for them. */
  lost: string[];
}

export interface ListFilter {
  state?: JobState | JobState[];
  queue?: string;
  name?: string;
  tenant?: string;
  key?: string;
}

export interface ListParams extends ListFilter {
  /** Page size; default 50, max 1000. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. Pages run newest first (id descending). */
  cursor?: string | null;
}

export interface ListResult {
  jobs: JobRecord[];
  nextCursor: string | null;
}

export type StateCounts = Record<JobState, number>;

export interface MetricsParams {
  /** Window start and end (epoch ms); attempts finished within it are counted. */
  from: number;
  to: number;
  name?: string;
  queue?: string;
  tenant?: string;
}

export interface Metrics {
  completed: number;
  failed: number;
  /** Mean handler time of finished attempts in the window, ms; null when none. */
  avgDurationMs: number | null;
}

/** A schedule as stored: declared in code (synced at start) or created at run time. */
export interface ScheduleRecord {
  name: string;
  cron: string;
  timezone: string;
  /** Job name the schedule enqueues. */
  job: string;
  /** Static payload; `null` when the job takes none or core computes it at fire time. */
  payload: unknown;
  catchUp: CatchUpPolicy;
  tenant: string | null;
  enabled: boolean;
  /** `code` for defineSchedule, `dynamic` for schedules created through the API. */
  source: 'code' | 'dynamic';
  /** Next fire instant (UTC); the store advances it with compare-and-set in `fireSchedule`. */
  nextFireAt: Date | null;
  lastFireAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CatchUpPolicy = 'none' | 'latest' | { max: number; withinMs: number };

export type ScheduleInput = Omit<ScheduleRecord, 'createdAt' | 'updatedAt' | 'lastFireAt'> & {
  lastFireAt?: Date | null;
};

export interface FireScheduleParams {
  name: string;
  /** The `nextFireAt` the caller read; the fire applies only if it is still current. */
  expectedNextFireAt: Date | null;
  nextFireAt: Date | null;
  lastFireAt: Date | null;
  /** Jobs for the fire times being fired, each with its deterministic key. */
  jobs: NewJob[];
  now?: number;
}

/** A queue or job type that claims skip, across processes, until resumed or until `until`. */
export interface PauseRecord {
  scope: 'queue' | 'name';
  target: string;
  /** Null means until resumed. */
  until: Date | null;
  reason: string | null;
}

export interface PruneParams {
  completedOlderThanMs: number;
  failedOlderThanMs: number;
  cancelledOlderThanMs: number;
  /** Attempt history (and its logs) of jobs that still exist, older than this, is dropped. */
  attemptsOlderThanMs: number;
  /** Work in batches of this size so pruning never locks the queue for long. */
  batchSize?: number;
  now?: number;
}

/** A wake-up: jobs became claimable (inserted, retried, promoted). */
export interface WakeEvent {
  queue: string;
  name: string;
}

export interface StoreCapabilities {
  /** `insert` accepts `tx`: the job exists iff the caller's transaction commits. */
  transactions: boolean;
  /** `subscribe` delivers wake-ups pushed by the store (not just polling). */
  push: boolean;
  /**
   * The store has a single connection (embedded PGlite): while a caller's transaction holds it,
   * nothing else (such as a first migration) can run, so core migrates before a `tx` insert or fails clearly.
   */
  singleConnection?: boolean;
}

/**
 * The storage engine behind Mainspring. Each method states its atomicity contract; the shared
 * conformance suite checks it for every store.
 */
export interface Store {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  /**
   * False when the user migrates explicitly (e.g. `pgStore({ migrate: false })` for a deploy step or a
   * database user without DDL rights): core then never calls `migrate()`. Default true.
   */
  readonly migrateOnStart?: boolean;

  /** Create or upgrade the schema. Safe to call from many processes at once: each step applies once. */
  migrate(): Promise<void>;

  /**
   * Insert jobs in one round trip. Atomic per job with respect to dedup: under concurrent inserts
   * with the same (name, key), exactly one job is live and every caller gets that job back
   * (`deduplicated: true` for all but the one that created it). Results are in input order.
   * `tx` (stores with `capabilities.transactions`) runs the insert inside the caller's transaction.
   */
  insert(params: { jobs: NewJob[]; tx?: unknown; now?: number }): Promise<InsertResult[]>;

  /**
   * Claim up to `limit` pending jobs whose `runAt <= now`, ordered by priority (desc), run time,
   * then id, skipping paused queues/names and honouring `limits`. Each claimed job becomes
   * `active`, `attempts` is incremented, a `running` attempt is recorded and a lease held until
   * `now + leaseMs`. Under concurrent calls each pending job is returned to exactly one caller.
   */
  claim(params: ClaimParams): Promise<JobRecord[]>;

  /**
   * Extend the leases of jobs `workerId` holds to `now + leaseMs`. Returns the ids it no longer
   * holds (expired and rescued, cancelled, removed, or settled elsewhere): their handlers must stop.
   */
  extendLeases(params: { workerId: string; ids: string[]; leaseMs: number; now?: number }): Promise<{ lost: string[] }>;

  /**
   * Complete jobs in one round trip. Applied only while `workerId` still holds the job for the
   * given attempt; otherwise the id is reported `lost` and nothing changes.
   */
  complete(params: { workerId: string; items: CompleteItem[]; now?: number }): Promise<SettleResult>;

  /**
   * Fail attempts in one round trip, only while held (as `complete`). With a `retryDelayMs` the job
   * returns to `pending` at `now + retryDelayMs`; with `null` it becomes `failed`.
   */
  fail(params: { workerId: string; items: FailItem[]; now?: number }): Promise<SettleResult>;

  /**
   * Hand leases back (graceful shutdown): held jobs return to `pending`, runnable at once, and the
   * attempt is recorded as `released` and not counted against `maxAttempts`.
   */
  release(params: { workerId: string; ids: string[]; now?: number }): Promise<{ released: string[] }>;

  /**
   * Rescue active jobs whose lease expired before `now`: each goes back to `pending` (or to
   * `failed` when its attempts are used up) and its attempt is recorded `stalled`. Under
   * concurrent calls each job is rescued once.
   */
  rescueExpired(params: { now?: number; limit?: number }): Promise<{ rescued: JobRecord[] }>;

  /** Record progress of a held job (0..100). Returns false when the worker no longer holds it. */
  setProgress(params: { id: string; workerId: string; progress: number }): Promise<boolean>;

  /** Cancel a pending or active job. Returns the updated job, or null when it does not exist. Terminal jobs are returned unchanged. */
  cancel(params: { id: string; now?: number }): Promise<JobRecord | null>;

  /**
   * Run a `failed` or `cancelled` (or `completed`) job again: it becomes `pending` at `now` with
   * `attempts` more attempts allowed. Pending and active jobs are returned unchanged. Null when missing.
   */
  retry(params: { id: string; attempts: number; now?: number }): Promise<JobRecord | null>;

  /** Make a pending job runnable now. Other states are returned unchanged. Null when missing. */
  promote(params: { id: string; now?: number }): Promise<JobRecord | null>;

  /** Delete a job and its attempt history. Returns whether it existed. */
  remove(params: { id: string }): Promise<boolean>;

  get(params: { id: string }): Promise<JobRecord | null>;

  /** Newest first, paged by opaque cursor. */
  list(params: ListParams): Promise<ListResult>;

  /** Job counts per state, optionally filtered. */
  counts(params: Omit<ListFilter, 'state' | 'key'>): Promise<StateCounts>;

  /** Completed/failed attempts and mean duration over a window. */
  metrics(params: MetricsParams): Promise<Metrics>;

  /** Attempt history of a job, oldest first, with logs. */
  attempts(params: { jobId: string }): Promise<AttemptRecord[]>;

  /** Create or replace a schedule by name (keeps createdAt and lastFireAt unless given). */
  upsertSchedule(params: { schedule: ScheduleInput; now?: number }): Promise<ScheduleRecord>;
  getSchedule(params: { name: string }): Promise<ScheduleRecord | null>;
  listSchedules(params: { source?: 'code' | 'dynamic' }): Promise<ScheduleRecord[]>;
  removeSchedule(params: { name: string }): Promise<boolean>;

  /**
   * Fire a schedule atomically: if its `nextFireAt` still equals `expectedNextFireAt`, advance it
   * and insert `jobs` (deduplicated by key) in the same step; otherwise change nothing and return
   * `fired: false`. Under concurrent calls for the same expected value exactly one caller fires.
   */
  fireSchedule(params: FireScheduleParams): Promise<{ fired: boolean; jobs: InsertResult[] }>;

  /** Pause a queue or job name for every process (new jobs are still accepted). Replaces an existing pause. */
  pause(params: PauseRecord): Promise<void>;
  /** Lift a pause. Returns whether one existed. */
  resume(params: { scope: 'queue' | 'name'; target: string }): Promise<boolean>;
  /** Pauses in force (those with `until` in the past are omitted). */
  listPauses(params: { now?: number }): Promise<PauseRecord[]>;

  /**
   * Listen for wake-ups. The store calls `listener` after jobs become claimable (insert, retry,
   * promote, release) in this or another process, best effort; callers still poll as a fallback.
   */
  subscribe(listener: (event: WakeEvent) => void): Promise<() => Promise<void>>;

  /**
   * Optional: get ready for the hot path before it is needed, e.g. open connections and prepare
   * the statements `insert` (role `enqueue`) or `claim`, `complete`, `fail` and `extendLeases`
   * (role `work`) run, so the first jobs after startup do not pay for that. Must change no data.
   * Core calls it from `ready()` (role `enqueue`) and, in the background, when a worker is first
   * idle (role `work`), and ignores its failures (the hot path still works cold).
   */
  warmUp?(params: { role: 'enqueue' | 'work' }): Promise<void>;

  /** Delete old terminal jobs and old attempt history in batches. Returns how many rows went. */
  prune(params: PruneParams): Promise<{ jobs: number; attempts: number }>;

  /** The store's clock, epoch ms. */
  now(): Promise<number>;

  /** Release connections. Idempotent. */
  close(): Promise<void>;
}
