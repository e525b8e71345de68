import type {
  ClaimParams,
  CompleteItem,
  FailItem,
  FireScheduleParams,
  InsertResult,
  JobRecord,
  ListFilter,
  ListParams,
  ListResult,
  Metrics,
  MetricsParams,
  NewJob,
  PauseRecord,
  PruneParams,
  ScheduleInput,
  ScheduleRecord,
  SettleResult,
  StateCounts,
  Store,
  StoreCapabilities,
  WakeEvent,
} from '@mainspring/core';
import { ConfigError } from '@mainspring/core';
import { wrapQueryable, type SqlExecutor, type TxExecutor } from './executor/types.js';
import { migrate } from './migrations.js';
import { toAttempt, toClaimedJobs, toJob, toPause, toSchedule } from './rows.js';
import {
  asQueryable,
  decodeCursor,
  encodeCursor,
  first,
  int,
  isId,
  jobItem,
  jobValues,
  jsonOrNull,
  keyOf,
  limitsJson,
  logsJson,
  msOrNull,
  parseWake,
  settleResult,
  settleResultFromLost,
  idArray,
  attemptArray,
  toId,
  toIds,
} from './params.js';
import { quoteSchema } from './schema-name.js';
import { buildStatements, type Statements } from './sql/index.js';
import { countJobs, listJobs, type JobFilters } from './sql/admin.js';
import type { Statement } from './executor/types.js';

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;
const DEFAULT_PRUNE_BATCH = 500;
// Inserts whose key conflicted with a row their snapshot could not see are retried this often.
const MAX_INSERT_ROUNDS = 10;
// Advisory lock class (with the schema's hash) serializing claims that carry limits.
const CLAIM_LIMITS_LOCK = 0x6d74;
// Connections a worker warms: its two claim loops, a settle write and a heartbeat can be in flight at once.
const WORKER_WARM_CONNECTIONS = 4;

export interface PgStoreCoreOptions {
  schema: string;
  /** Apply migrations before the first operation. */
  migrate: boolean;
  /** Whether the executor delivers LISTEN/NOTIFY wake-ups. */
  push: boolean;
}

/**
 * The Store on Postgres. Written once against {@link SqlExecutor}, so the server pool and the
 * embedded PGlite run the same statements.
 */
export class PgStore implements Store {
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  readonly migrateOnStart: boolean;
  /** The schema the store's tables live in. */
  readonly schema: string;

  private readonly quoted: string;
  private readonly sql: Statements;
  /** List and count statements by which filters they carry (at most 64 + 8 texts). */
  private readonly filteredStatements = new Map<string, Statement>();
  private readonly channel: string;
  private ready: Promise<void> | null = null;
  private migrated = false;
  private closed = false;

  constructor(
    private readonly db: SqlExecutor,
    private readonly options: PgStoreCoreOptions,
  ) {
    this.schema = options.schema;
    this.quoted = quoteSchema(options.schema);
    this.sql = buildStatements(this.quoted);
    // NOTIFY channels are identifiers (max 63 bytes); a shared prefix only means spurious wake-ups.
    this.channel = `${options.schema.slice(0, 57)}_wake`;
    this.name = db.kind === 'pglite' ? 'pglite' : 'postgres';
    this.capabilities = { transactions: true, push: options.push, singleConnection: db.kind === 'pglite' };
    this.migrateOnStart = options.migrate;
  }

  async migrate(): Promise<void> {
    // Migrations ship with the package: once this instance has applied them there is nothing new.
    if (this.migrated) return;
    await migrate(this.db, this.schema, this.quoted);
    this.migrated = true;
    // Later operations need not check again (and a PGlite `tx` insert must not wait on a migration).
    this.ready ??= Promise.resolve();
  }

  /** Migrates once before the first operation when asked to; a failure is retried on the next call. */
  private ensureReady(): Promise<void> {
    if (this.closed) return Promise.reject(new ConfigError('This Postgres store is closed'));
    if (!this.options.migrate) return Promise.resolve();
    this.ready ??= this.migrate().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private async run<R = any>(stmt: Statements[keyof Statements], values: unknown[]): Promise<R[]> {
    await this.ensureReady();
    return this.db.query<R>(stmt, values);
  }

  async now(): Promise<number> {
    const [row] = await this.run(this.sql.clockNow, []);
    return Math.floor(Number(row.now));
  }

  async insert(params: { jobs: NewJob[]; tx?: unknown; now?: number }): Promise<InsertResult[]> {
    if (params.jobs.length === 0) return [];
    const inTx = params.tx !== undefined && params.tx !== null;
    const q = inTx ? wrapQueryable(asQueryable(params.tx)) : this.db;
    if (inTx && this.db.kind === 'pglite' && this.options.migrate && !this.migrated) {
      // PGlite's single connection is held by the caller's transaction: a migration now would wait forever.
      throw new ConfigError('Call `await store.migrate()` before inserting inside a PGlite transaction');
    }
    await this.ensureReady();
    return this.insertWith(q, params.jobs, params.now);
  }

  private async insertWith(q: TxExecutor, jobs: NewJob[], now: number | undefined): Promise<InsertResult[]> {
    const results: (InsertResult | undefined)[] = new Array(jobs.length);
    let pending = jobs.map((_, i) => i);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_INSERT_ROUNDS) {
        throw new Error(`Could not settle idempotency keys for ${pending.length} job(s) after ${round} attempts`);
      }
      const only = pending.length === 1 ? jobs[pending[0]!]! : undefined;
      const rows =
        only && only.key == null
          ? await q.query(this.sql.insertJob, [...jobValues(only), int(now), this.channel, true])
          : await q.query(this.sql.insertJobs, [JSON.stringify(pending.map((i) => jobItem(jobs[i], i))), int(now), this.channel]);
      // An inserted row wins over a stale live/windowed row for the same input.
      const rank = { inserted: 0, windowed: 1, live: 2 } as Record<string, number>;
      rows.sort((a, b) => rank[a.kind] - rank[b.kind]);
      for (const row of rows) {
        const i = Number(row.i);
        if (results[i]) continue;
        results[i] = { job: toJob(row), deduplicated: row.kind !== 'inserted' };
      }
      // Later inputs sharing a key with an input inserted in this same statement share its job.
      const byKey = new Map<string, JobRecord>();
      for (const i of pending) {
        const r = results[i];
        if (r && !r.deduplicated && r.job.key !== null) byKey.set(keyOf(r.job.name, r.job.key), r.job);
      }
      const unresolved: number[] = [];
      for (const i of pending) {
        if (results[i]) continue;
        const key = jobs[i].key;
        const twin = key == null ? undefined : byKey.get(keyOf(jobs[i].name, key));
        if (twin) results[i] = { job: twin, deduplicated: true };
        else unresolved.push(i);
      }
      pending = unresolved;
    }
    return results as InsertResult[];
  }

  async claim(params: ClaimParams): Promise<JobRecord[]> {
    if (params.limit <= 0 || params.names.length === 0) return [];
    const names = [...new Set(params.names)];
    const base = [
      params.workerId,
      names,
      params.queues ?? null,
      params.limit,
      int(params.leaseMs),
      int(params.now),
    ];
    const limits = limitsJson(params.limits);
    if (!limits) return toClaimedJobs(await this.run(this.sql.claimJobs, base), params.workerId);
    await this.ensureReady();
    // Counting active jobs and then claiming must not interleave with another limited claim.
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [CLAIM_LIMITS_LOCK, this.schema]);
      const claimed: JobRecord[] = [];
      // Each round sees the previous rounds' claims, so a group that filled up is skipped while
      // scanning and the next round reaches other groups (one busy tenant cannot fill the batch).
      while (claimed.length < params.limit) {
        const left = params.limit - claimed.length;
        const round = [params.workerId, names, params.queues ?? null, left, int(params.leaseMs), int(params.now)];
        const got = toClaimedJobs(await tx.query(this.sql.claimJobsLimited, [...round, limits, left * 4 + 50]), params.workerId);
        if (got.length === 0) break;
        claimed.push(...got);
      }
      return claimed;
    });
  }

  /**
   * Runs the hot statements once with inputs that match no row: a pooled connection plans a
   * statement (and loads the table's catalog entries) on first use, which cost a fresh connection
   * 5-60 ms per statement here, paid by the first jobs after startup.
   */
  async warmUp(params: { role: 'enqueue' | 'work' }): Promise<void> {
    await this.ensureReady();
    if (params.role === 'enqueue') {
      await this.db.warm(
        [
          { stmt: this.sql.insertJob, values: ['warm-up', 'default', null, 0, 1, null, null, null, null, null, this.channel, false] },
          { stmt: this.sql.insertJobs, values: ['[]', null, this.channel] },
        ],
        1,
      );
      return;
    }
    // No names, limit 0 and empty id lists: every statement runs and matches nothing.
    const worker = 'warm-up';
    await this.db.warm(
      [
        { stmt: this.sql.claimJobs, values: [worker, [], null, 0, 1_000, null] },
        { stmt: this.sql.completeJobs, values: [worker, [], [], null, null] },
        { stmt: this.sql.failJobs, values: [worker, [], [], null, this.channel, '{}'] },
        { stmt: this.sql.extendLeases, values: [worker, [], 1_000, null] },
      ],
      WORKER_WARM_CONNECTIONS,
    );
  }

  async extendLeases(params: { workerId: string; ids: string[]; leaseMs: number; now?: number }) {
    if (params.ids.length === 0) return { lost: [] };
    const ids = toIds(params.ids);
    const rows = await this.run(this.sql.extendLeases, [params.workerId, ids, int(params.leaseMs), int(params.now)]);
    const held = new Set(rows.map((r) => String(r.id)));
    return { lost: params.ids.filter((id) => !held.has(id)) };
  }

  async complete(params: { workerId: string; items: CompleteItem[]; now?: number }): Promise<SettleResult> {
    if (params.items.length === 0) return { settled: [], lost: [] };
    // Most handlers return nothing and log nothing: then only ids and attempt numbers travel.
    let values: Record<string, [unknown, unknown]> | null = null;
    for (const it of params.items) {
      if (it.result == null && !it.logs?.length) continue;
      (values ??= {})[toId(it.id)] = [it.result ?? null, it.logs?.length ? logsJson(it.logs) : null];
    }
    const rows = await this.run(this.sql.completeJobs, [
      params.workerId,
      idArray(params.items),
      attemptArray(params.items),
      int(params.now),
      values && JSON.stringify(values),
    ]);
    return settleResultFromLost(params.items, rows);
  }

  async fail(params: { workerId: string; items: FailItem[]; now?: number }): Promise<SettleResult> {
    if (params.items.length === 0) return { settled: [], lost: [] };
    const values: Record<string, unknown> = {};
    for (const it of params.items) {
      values[toId(it.id)] = {
        error: { name: it.error.name, message: it.error.message, stack: it.error.stack ?? null },
        retry_delay_ms: it.retryDelayMs === null ? null : Math.max(0, Math.round(it.retryDelayMs)),
        logs: logsJson(it.logs),
      };
    }
    const rows = await this.run(this.sql.failJobs, [
      params.workerId,
      idArray(params.items),
      attemptArray(params.items),
      int(params.now),
      this.channel,
      JSON.stringify(values),
    ]);
    return settleResult(params.items, rows);
  }

  async release(params: { workerId: string; ids: string[]; now?: number }): Promise<{ released: string[] }> {
    if (params.ids.length === 0) return { released: [] };
    const rows = await this.run(this.sql.releaseJobs, [
      params.workerId,
      toIds(params.ids),
      int(params.now),
      this.channel,
    ]);
    const released = new Set(rows.map((r) => String(r.id)));
    return { released: params.ids.filter((id) => released.has(id)) };
  }

  async rescueExpired(params: { now?: number; limit?: number }): Promise<{ rescued: JobRecord[] }> {
    const rows = await this.run(this.sql.rescueExpired, [int(params.now), int(params.limit), this.channel]);
    return { rescued: rows.map(toJob) };
  }

  async setProgress(params: { id: string; workerId: string; progress: number }): Promise<boolean> {
    if (!isId(params.id)) return false;
    const progress = Math.max(0, Math.min(100, Number(params.progress)));
    const rows = await this.run(this.sql.setProgress, [params.id, params.workerId, progress]);
    return rows.length > 0;
  }

  async cancel(params: { id: string; now?: number }): Promise<JobRecord | null> {
    if (!isId(params.id)) return null;
    return first(await this.run(this.sql.cancelJob, [params.id, int(params.now)]));
  }

  async retry(params: { id: string; attempts: number; now?: number }): Promise<JobRecord | null> {
    if (!isId(params.id)) return null;
    const values = [params.id, params.attempts, int(params.now), this.channel];
    try {
      return first(await this.run(this.sql.retryJob, values));
    } catch (err) {
      // A live job with the same key appeared concurrently: the retry does not apply.
      if ((err as { code?: string }).code === '23505') return this.get({ id: params.id });
      throw err;
    }
  }

  async promote(params: { id: string; now?: number }): Promise<JobRecord | null> {
    if (!isId(params.id)) return null;
    return first(await this.run(this.sql.promoteJob, [params.id, int(params.now), this.channel]));
  }

  async remove(params: { id: string }): Promise<boolean> {
    if (!isId(params.id)) return false;
    return (await this.run(this.sql.removeJob, [params.id])).length > 0;
  }

  async get(params: { id: string }): Promise<JobRecord | null> {
    if (!isId(params.id)) return null;
    return first(await this.run(this.sql.getJob, [params.id]));
  }

  private filtered(kind: string, given: JobFilters, build: () => Statement): Statement {
    const key = `${kind}:${Object.keys(given).join(',')}`;
    let stmt = this.filteredStatements.get(key);
    if (!stmt) this.filteredStatements.set(key, (stmt = build()));
    return stmt;
  }

  async list(params: ListParams): Promise<ListResult> {
    const limit = Math.min(Math.max(1, Math.floor(params.limit ?? DEFAULT_LIST_LIMIT)), MAX_LIST_LIMIT);
    const states = params.state === undefined ? null : Array.isArray(params.state) ? params.state : [params.state];
    const filters = {
      states,
      queue: params.queue ?? null,
      name: params.name ?? null,
      tenant: params.tenant ?? null,
      key: params.key ?? null,
      cursor: params.cursor ? decodeCursor(params.cursor) : null,
    };
    const given = present(filters);
    const rows = await this.run(this.filtered('list', given, () => listJobs(this.quoted, given)), [...values(filters), limit + 1]);
    const jobs = rows.slice(0, limit).map(toJob);
    const more = rows.length > limit;
    return { jobs, nextCursor: more ? encodeCursor(jobs[jobs.length - 1].id) : null };
  }

  async counts(params: Omit<ListFilter, 'state' | 'key'>): Promise<StateCounts> {
    const filters = { queue: params.queue ?? null, name: params.name ?? null, tenant: params.tenant ?? null };
    const given = present(filters);
    const rows = await this.run(this.filtered('count', given, () => countJobs(this.quoted, given)), values(filters));
    const counts: StateCounts = { pending: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.state as keyof StateCounts] = Number(r.n);
    return counts;
  }

  async metrics(params: MetricsParams): Promise<Metrics> {
    const [row] = await this.run(this.sql.attemptMetrics, [
      Math.floor(params.from),
      Math.ceil(params.to),
      params.name ?? null,
      params.queue ?? null,
      params.tenant ?? null,
    ]);
    return {
      completed: Number(row.completed),
      failed: Number(row.failed),
      avgDurationMs: row.avg_ms == null ? null : Number(row.avg_ms),
    };
  }

  async attempts(params: { jobId: string }) {
    if (!isId(params.jobId)) return [];
    return (await this.run(this.sql.listAttempts, [params.jobId])).map(toAttempt);
  }

  async upsertSchedule(params: { schedule: ScheduleInput; now?: number }): Promise<ScheduleRecord> {
    const s = params.schedule;
    const [row] = await this.run(this.sql.upsertSchedule, [
      s.name,
      s.cron,
      s.timezone,
      s.job,
      jsonOrNull(s.payload),
      JSON.stringify(s.catchUp),
      s.tenant ?? null,
      s.enabled,
      s.source,
      msOrNull(s.nextFireAt),
      msOrNull(s.lastFireAt),
      s.lastFireAt !== undefined,
      int(params.now),
    ]);
    return toSchedule(row);
  }

  async getSchedule(params: { name: string }): Promise<ScheduleRecord | null> {
    const [row] = await this.run(this.sql.getSchedule, [params.name]);
    return row ? toSchedule(row) : null;
  }

  async listSchedules(params: { source?: 'code' | 'dynamic' }): Promise<ScheduleRecord[]> {
    return (await this.run(this.sql.listSchedules, [params.source ?? null])).map(toSchedule);
  }

  async removeSchedule(params: { name: string }): Promise<boolean> {
    return (await this.run(this.sql.removeSchedule, [params.name])).length > 0;
  }

  async fireSchedule(params: FireScheduleParams): Promise<{ fired: boolean; jobs: InsertResult[] }> {
    await this.ensureReady();
    // One transaction: the compare-and-set and the inserts commit together or not at all.
    return this.db.transaction(async (tx) => {
      const advanced = await tx.query(this.sql.advanceSchedule, [
        params.name,
        msOrNull(params.expectedNextFireAt),
        msOrNull(params.nextFireAt),
        msOrNull(params.lastFireAt),
        int(params.now),
      ]);
      if (advanced.length === 0) return { fired: false, jobs: [] };
      const jobs = params.jobs.length ? await this.insertWith(tx, params.jobs, params.now) : [];
      return { fired: true, jobs };
    });
  }

  async pause(params: PauseRecord): Promise<void> {
    await this.run(this.sql.upsertPause, [params.scope, params.target, msOrNull(params.until), params.reason ?? null]);
  }

  async resume(params: { scope: 'queue' | 'name'; target: string }): Promise<boolean> {
    return (await this.run(this.sql.removePause, [params.scope, params.target])).length > 0;
  }

  async listPauses(params: { now?: number }): Promise<PauseRecord[]> {
    return (await this.run(this.sql.listPauses, [int(params.now)])).map(toPause);
  }

  async subscribe(listener: (event: WakeEvent) => void): Promise<() => Promise<void>> {
    await this.ensureReady();
    const stop = this.options.push
      ? await this.db.listen(this.channel, (payload) => {
          const event = parseWake(payload);
          if (!event) return;
          try {
            listener(event);
          } catch {
            // A listener's failure must not break the connection's other listeners.
          }
        })
      : null;
    return stop ?? (async () => {});
  }

  async prune(params: PruneParams): Promise<{ jobs: number; attempts: number }> {
    const batch = Math.max(1, Math.floor(params.batchSize ?? DEFAULT_PRUNE_BATCH));
    const now = int(params.now);
    let jobs = 0;
    for (;;) {
      const [row] = await this.run(this.sql.pruneJobs, [
        int(params.completedOlderThanMs),
        int(params.failedOlderThanMs),
        int(params.cancelledOlderThanMs),
        batch,
        now,
      ]);
      jobs += Number(row.n);
      if (Number(row.n) < batch) break;
    }
    let attempts = 0;
    for (;;) {
      const [row] = await this.run(this.sql.pruneAttempts, [int(params.attemptsOlderThanMs), batch, now]);
      attempts += Number(row.n);
      if (Number(row.n) < batch) break;
    }
    return { jobs, attempts };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let a migration in flight finish before its connections go away.
    await this.ready?.catch(() => {});
    await this.db.close();
  }
}

/** Which filters have a value (null and undefined do not). */
function present(filters: Record<string, unknown>): JobFilters {
  const given: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(filters)) if (value != null) given[name] = true;
  return given;
}

/** The values of the filters that have one, in declaration order (JobFilters order). */
function values(filters: Record<string, unknown>): unknown[] {
  return Object.values(filters).filter((v) => v != null);
}
