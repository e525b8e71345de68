import type {
  AttemptRecord,
  ClaimLimits,
  ClaimParams,
  FireScheduleParams,
  InsertResult,
  JobRecord,
  JobState,
  ListParams,
  ListResult,
  LogEntry,
  Metrics,
  MetricsParams,
  NewJob,
  PauseRecord,
  PruneParams,
  ScheduleRecord,
  ScheduleInput,
  SettleResult,
  StateCounts,
  Store,
  WakeEvent,
  CompleteItem,
  FailItem,
  ListFilter,
} from './contract.js';
import { Heap } from './memory-heap.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** The store's clock in epoch ms; defaults to `Date.now`. Tests may pass a controllable clock. */
  clock?: () => number;
}

/** A job plus what only the store needs to know about it. */
interface JobRow extends JobRecord {
  keyWindowMs: number | null;
  /** The id as a number, for ordering. */
  seq: number;
  /** Bumped whenever the job is (re)queued or leaves `pending`, so older queue entries go stale. */
  version: number;
}

/** A pending job's place in a queue, valid while the job's version still matches. */
interface QueueEntry {
  job: JobRow;
  version: number;
  runAt: number;
}

interface ClaimMark {
  at: number;
  tenant: string | null;
}

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;
const DEFAULT_PRUNE_BATCH = 500;
// Claim times are kept at least this long, so a rate limit first seen later still sees recent claims.
const MIN_CLAIM_MARK_MS = 60_000;

/**
 * A complete Store kept in process memory: for users' unit tests and core's own fast tests.
 * Every operation runs synchronously inside its async method, so each one is atomic with
 * respect to the others, which is what the contract's concurrency clauses ask for.
 *
 * @example
 * const store = memoryStore();
 * const ms = createMainspring({ store, jobs: [sendEmail] });
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  return new MemoryStore(options.clock ?? Date.now);
}

class MemoryStore implements Store {
  readonly name = 'memory';
  readonly capabilities = { transactions: false, push: true } as const;

  private nextId = 1;
  // Map iteration follows insertion order, which is id order.
  private readonly jobs = new Map<string, JobRow>();
  private readonly history = new Map<string, AttemptRecord[]>();
  // Which job currently owns a (name, key): the live one, or a completed one inside its window.
  private readonly keys = new Map<string, string>();
  private readonly schedules = new Map<string, ScheduleRecord>();
  private readonly pauses = new Map<string, PauseRecord>();
  // Claim times per job name, kept for the longest rate window seen so far.
  private readonly claimMarks = new Map<string, ClaimMark[]>();
  private longestRateWindow = 0;
  private readonly listeners = new Set<(event: WakeEvent) => void>();
  // Pending jobs wait in `delayed` by run time and move to `ready` (claim order) once due,
  // so a claim costs about its batch size rather than a scan and sort of every job.
  private readonly delayed = new Heap<QueueEntry>((a, b) => a.runAt - b.runAt || a.job.seq - b.job.seq);
  private readonly ready = new Heap<QueueEntry>(
    (a, b) => b.job.priority - a.job.priority || a.runAt - b.runAt || a.job.seq - b.job.seq,
  );
  private readonly active = new Set<JobRow>();

  constructor(private readonly clock: () => number) {}

  async migrate(): Promise<void> {}

  async now(): Promise<number> {
    return this.clock();
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  async insert(params: { jobs: NewJob[]; tx?: unknown; now?: number }): Promise<InsertResult[]> {
    const now = params.now ?? this.clock();
    const results = params.jobs.map((job) => this.insertOne(job, now));
    this.wake(results.filter((r) => !r.deduplicated && r.job.runAt.getTime() <= now).map((r) => r.job));
    return results.map((r) => ({ job: copyJob(r.job), deduplicated: r.deduplicated }));
  }

  private insertOne(input: NewJob, now: number): { job: JobRow; deduplicated: boolean } {
    const key = input.key ?? null;
    if (key !== null) {
      const owner = this.keyOwner(input.name, key, now);
      if (owner) return { job: owner, deduplicated: true };
    }
    const runAt =
      input.runAt != null ? input.runAt.getTime() : input.delayMs != null ? now + input.delayMs : now;
    const job: JobRow = {
      id: String(this.nextId++),
      name: input.name,
      queue: input.queue,
      state: 'pending',
      payload: toJson(input.payload),
      result: null,
      error: null,
      attempts: 0,
      maxAttempts: input.maxAttempts,
      priority: input.priority,
      runAt: new Date(runAt),
      createdAt: new Date(now),
      startedAt: null,
      finishedAt: null,
      key,
      tenant: input.tenant ?? null,
      progress: null,
      workerId: null,
      lockedUntil: null,
      meta: input.meta == null ? null : (toJson(input.meta) as Record<string, unknown>),
      keyWindowMs: input.keyWindowMs ?? null,
      seq: this.nextId - 1,
      version: 0,
    };
    this.jobs.set(job.id, job);
    this.enqueue(job);
    this.history.set(job.id, []);
    if (key !== null) this.keys.set(keyOf(job.name, key), job.id);
    return { job, deduplicated: false };
  }

  /** The job that blocks a new insert with this (name, key), if any. */
  private keyOwner(name: string, key: string, now: number): JobRow | null {
    const id = this.keys.get(keyOf(name, key));
    const job = id === undefined ? undefined : this.jobs.get(id);
    if (!job) return null;
    if (job.state === 'pending' || job.state === 'active') return job;
    if (job.state === 'completed' && job.keyWindowMs && job.finishedAt) {
      if (job.finishedAt.getTime() + job.keyWindowMs > now) return job;
    }
    return null;
  }

  async claim(params: ClaimParams): Promise<JobRecord[]> {
    const now = params.now ?? this.clock();
    if (params.limit <= 0) return [];
    const names = new Set(params.names);
    const queues = params.queues ? new Set(params.queues) : null;
    for (let e = this.delayed.peek(); e && e.runAt <= now; e = this.delayed.peek()) this.ready.push(this.delayed.pop()!);

    const gate = new LimitGate(params.limits, this.active, (name) => this.recentClaims(name, now, params.limits));
    const claimed: JobRow[] = [];
    const passedOver: QueueEntry[] = [];
    while (claimed.length < params.limit) {
      const entry = this.ready.pop();
      if (!entry) break;
      const job = entry.job;
      if (job.version !== entry.version || job.state !== 'pending') continue;
      // A caller's `now` may be earlier than a previous one's: the job is not due for this caller.
      if (entry.runAt > now) {
        this.delayed.push(entry);
        continue;
      }
      const eligible =
        names.has(job.name) &&
        (!queues || queues.has(job.queue)) &&
        !this.isPaused('queue', job.queue, now) &&
        !this.isPaused('name', job.name, now) &&
        gate.admit(job);
      if (!eligible) {
        passedOver.push(entry);
        continue;
      }
      this.start(job, params.workerId, now, params.leaseMs);
      claimed.push(job);
    }
    for (const entry of passedOver) this.ready.push(entry);
    return claimed.map(copyJob);
  }

  /** Put a pending job (new, delayed, retried, released, promoted) in line by its run time. */
  private enqueue(job: JobRow): void {
    job.version += 1;
    this.delayed.push({ job, version: job.version, runAt: job.runAt.getTime() });
  }

  /** Move a job to a new state, keeping the active set and queue entries in step. */
  private setState(job: JobRow, state: JobState): void {
    if (job.state === 'active') this.active.delete(job);
    job.state = state;
    if (state === 'active') this.active.add(job);
    if (state === 'pending') this.enqueue(job);
    else job.version += 1;
  }

  /** Claims of a job name within its rate window (trimming marks no window can still see). */
  private recentClaims(name: string, now: number, limits: ClaimLimits | undefined): ClaimMark[] {
    const perMs = limits?.names?.[name]?.rate?.perMs ?? 0;
    this.longestRateWindow = Math.max(this.longestRateWindow, perMs);
    const marks = (this.claimMarks.get(name) ?? []).filter((m) => m.at > now - this.longestRateWindow);
    this.claimMarks.set(name, marks);
    return marks.filter((m) => m.at > now - perMs);
  }

  private start(job: JobRow, workerId: string, now: number, leaseMs: number): void {
    this.setState(job, 'active');
    job.attempts += 1;
    job.startedAt = new Date(now);
    job.finishedAt = null;
    job.workerId = workerId;
    job.lockedUntil = new Date(now + leaseMs);
    job.progress = null;
    this.history.get(job.id)!.push({
      jobId: job.id,
      attempt: job.attempts,
      workerId,
      startedAt: new Date(now),
      finishedAt: null,
      outcome: 'running',
      error: null,
      logs: [],
    });
    const marks = this.claimMarks.get(job.name) ?? [];
    marks.push({ at: now, tenant: job.tenant });
    // Marks arrive in time order in practice, so trimming from the front keeps this bounded.
    const keepAfter = now - Math.max(this.longestRateWindow, MIN_CLAIM_MARK_MS);
    while (marks.length > 0 && marks[0].at <= keepAfter) marks.shift();
    this.claimMarks.set(job.name, marks);
  }

  private isPaused(scope: 'queue' | 'name', target: string, now: number): boolean {
    const pause = this.pauses.get(pauseKey(scope, target));
    return !!pause && (pause.until === null || pause.until.getTime() > now);
  }

  /** The job if `workerId` holds it (active, not rescued or cancelled) for `attempt` when given. */
  private held(id: string, workerId: string, attempt?: number): JobRow | null {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'active' || job.workerId !== workerId) return null;
    if (attempt !== undefined && job.attempts !== attempt) return null;
    return job;
  }

  private runningAttempt(job: JobRow): AttemptRecord | undefined {
    const list = this.history.get(job.id) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].outcome === 'running') return list[i];
    return undefined;
  }

  private finishAttempt(
    job: JobRow,
    outcome: AttemptRecord['outcome'],
    now: number,
    error: AttemptRecord['error'] = null,
    logs?: LogEntry[],
  ): void {
    const attempt = this.runningAttempt(job);
    if (!attempt) return;
    attempt.outcome = outcome;
    attempt.finishedAt = new Date(now);
    attempt.error = error ? { name: error.name, message: error.message, stack: error.stack ?? null } : null;
    if (logs) attempt.logs.push(...logs.map((l) => ({ at: new Date(l.at.getTime()), message: l.message })));
  }

  /** Drop the lease fields once a job stops being active. */
  private unlock(job: JobRow): void {
    job.workerId = null;
    job.lockedUntil = null;
  }

  async extendLeases(params: { workerId: string; ids: string[]; leaseMs: number; now?: number }): Promise<{ lost: string[] }> {
    const now = params.now ?? this.clock();
    const lost: string[] = [];
    for (const id of params.ids) {
      const job = this.held(id, params.workerId);
      if (job) job.lockedUntil = new Date(now + params.leaseMs);
      else lost.push(id);
    }
    return { lost };
  }

  async complete(params: { workerId: string; items: CompleteItem[]; now?: number }): Promise<SettleResult> {
    const now = params.now ?? this.clock();
    const out: SettleResult = { settled: [], lost: [] };
    for (const item of params.items) {
      const job = this.held(item.id, params.workerId, item.attempt);
      if (!job) {
        out.lost.push(item.id);
        continue;
      }
      this.finishAttempt(job, 'completed', now, null, item.logs);
      this.setState(job, 'completed');
      job.result = toJson(item.result);
      job.finishedAt = new Date(now);
      this.unlock(job);
      out.settled.push(item.id);
    }
    return out;
  }

  async fail(params: { workerId: string; items: FailItem[]; now?: number }): Promise<SettleResult> {
    const now = params.now ?? this.clock();
    const out: SettleResult = { settled: [], lost: [] };
    const woken: JobRow[] = [];
    for (const item of params.items) {
      const job = this.held(item.id, params.workerId, item.attempt);
      if (!job) {
        out.lost.push(item.id);
        continue;
      }
      this.finishAttempt(job, 'failed', now, item.error, item.logs);
      job.error = item.error.message;
      this.unlock(job);
      if (item.retryDelayMs === null) {
        this.setState(job, 'failed');
        job.finishedAt = new Date(now);
      } else {
        job.runAt = new Date(now + item.retryDelayMs);
        this.setState(job, 'pending');
        if (item.retryDelayMs <= 0) woken.push(job);
      }
      out.settled.push(item.id);
    }
    this.wake(woken);
    return out;
  }

  async release(params: { workerId: string; ids: string[]; now?: number }): Promise<{ released: string[] }> {
    const now = params.now ?? this.clock();
    const released: JobRow[] = [];
    for (const id of params.ids) {
      const job = this.held(id, params.workerId);
      if (!job) continue;
      this.finishAttempt(job, 'released', now);
      // A released attempt was cut short by shutdown, not by the job: it does not count.
      job.attempts -= 1;
      job.runAt = new Date(now);
      this.setState(job, 'pending');
      this.unlock(job);
      released.push(job);
    }
    this.wake(released);
    return { released: released.map((j) => j.id) };
  }

  async rescueExpired(params: { now?: number; limit?: number }): Promise<{ rescued: JobRecord[] }> {
    const now = params.now ?? this.clock();
    const limit = params.limit ?? Infinity;
    const rescued: JobRow[] = [];
    for (const job of [...this.active]) {
      if (rescued.length >= limit) break;
      if (!job.lockedUntil || job.lockedUntil.getTime() >= now) continue;
      const error = { name: 'StalledError', message: 'Lease expired before the job was settled', stack: null };
      this.finishAttempt(job, 'stalled', now, error);
      job.error = error.message;
      this.unlock(job);
      if (job.attempts >= job.maxAttempts) {
        this.setState(job, 'failed');
        job.finishedAt = new Date(now);
      } else {
        job.runAt = new Date(now);
        this.setState(job, 'pending');
      }
      rescued.push(job);
    }
    this.wake(rescued.filter((j) => j.state === 'pending'));
    return { rescued: rescued.map(copyJob) };
  }

  async setProgress(params: { id: string; workerId: string; progress: number }): Promise<boolean> {
    const job = this.held(params.id, params.workerId);
    if (!job) return false;
    job.progress = Math.max(0, Math.min(100, params.progress));
    return true;
  }

  async cancel(params: { id: string; now?: number }): Promise<JobRecord | null> {
    const now = params.now ?? this.clock();
    const job = this.jobs.get(params.id);
    if (!job) return null;
    if (job.state === 'pending' || job.state === 'active') {
      if (job.state === 'active') this.finishAttempt(job, 'cancelled', now);
      this.setState(job, 'cancelled');
      job.finishedAt = new Date(now);
      this.unlock(job);
    }
    return copyJob(job);
  }

  async retry(params: { id: string; attempts: number; now?: number }): Promise<JobRecord | null> {
    const now = params.now ?? this.clock();
    const job = this.jobs.get(params.id);
    if (!job) return null;
    if (job.state === 'failed' || job.state === 'cancelled' || job.state === 'completed') {
      job.maxAttempts = job.attempts + params.attempts;
      job.runAt = new Date(now);
      job.finishedAt = null;
      this.setState(job, 'pending');
      // The retried job is live again and owns its key, unless another live job took it meanwhile.
      if (job.key !== null && !this.keyOwner(job.name, job.key, now)) this.keys.set(keyOf(job.name, job.key), job.id);
      this.wake([job]);
    }
    return copyJob(job);
  }

  async promote(params: { id: string; now?: number }): Promise<JobRecord | null> {
    const now = params.now ?? this.clock();
    const job = this.jobs.get(params.id);
    if (!job) return null;
    if (job.state === 'pending') {
      if (job.runAt.getTime() > now) {
        job.runAt = new Date(now);
        this.enqueue(job);
      }
      this.wake([job]);
    }
    return copyJob(job);
  }

  async remove(params: { id: string }): Promise<boolean> {
    const job = this.jobs.get(params.id);
    if (!job) return false;
    this.drop(job);
    return true;
  }

  private drop(job: JobRow): void {
    this.active.delete(job);
    job.version += 1;
    this.jobs.delete(job.id);
    this.history.delete(job.id);
    if (job.key !== null && this.keys.get(keyOf(job.name, job.key)) === job.id) this.keys.delete(keyOf(job.name, job.key));
  }

  async get(params: { id: string }): Promise<JobRecord | null> {
    const job = this.jobs.get(params.id);
    return job ? copyJob(job) : null;
  }

  async list(params: ListParams): Promise<ListResult> {
    const limit = Math.min(Math.max(1, params.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
    const before = params.cursor ? decodeCursor(params.cursor) : Infinity;
    const states = params.state === undefined ? null : new Set(Array.isArray(params.state) ? params.state : [params.state]);
    const all = [...this.jobs.values()];
    const page: JobRow[] = [];
    let more = false;
    for (let i = all.length - 1; i >= 0; i--) {
      const job = all[i];
      if (Number(job.id) >= before) continue;
      if (states && !states.has(job.state)) continue;
      if (!matches(job, params) || (params.key !== undefined && job.key !== params.key)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(job);
    }
    return { jobs: page.map(copyJob), nextCursor: more ? encodeCursor(page[page.length - 1].id) : null };
  }

  async counts(params: Omit<ListFilter, 'state' | 'key'>): Promise<StateCounts> {
    const counts: StateCounts = { pending: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const job of this.jobs.values()) if (matches(job, params)) counts[job.state] += 1;
    return counts;
  }

  async metrics(params: MetricsParams): Promise<Metrics> {
    let completed = 0;
    let failed = 0;
    let total = 0;
    for (const job of this.jobs.values()) {
      if (!matches(job, params)) continue;
      for (const a of this.history.get(job.id) ?? []) {
        if (a.outcome !== 'completed' && a.outcome !== 'failed') continue;
        const end = a.finishedAt!.getTime();
        if (end < params.from || end > params.to) continue;
        if (a.outcome === 'completed') completed += 1;
        else failed += 1;
        total += end - a.startedAt.getTime();
      }
    }
    const n = completed + failed;
    return { completed, failed, avgDurationMs: n === 0 ? null : total / n };
  }

  async attempts(params: { jobId: string }): Promise<AttemptRecord[]> {
    return (this.history.get(params.jobId) ?? []).map(copyAttempt);
  }

  async upsertSchedule(params: { schedule: ScheduleInput; now?: number }): Promise<ScheduleRecord> {
    const now = new Date(params.now ?? this.clock());
    const input = params.schedule;
    const existing = this.schedules.get(input.name);
    const record: ScheduleRecord = {
      name: input.name,
      cron: input.cron,
      timezone: input.timezone,
      job: input.job,
      payload: toJson(input.payload),
      catchUp: toJson(input.catchUp) as ScheduleRecord['catchUp'],
      tenant: input.tenant ?? null,
      enabled: input.enabled,
      source: input.source,
      nextFireAt: input.nextFireAt ? new Date(input.nextFireAt.getTime()) : null,
      lastFireAt:
        input.lastFireAt !== undefined
          ? input.lastFireAt && new Date(input.lastFireAt.getTime())
          : (existing?.lastFireAt ?? null),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.schedules.set(record.name, record);
    return copySchedule(record);
  }

  async getSchedule(params: { name: string }): Promise<ScheduleRecord | null> {
    const s = this.schedules.get(params.name);
    return s ? copySchedule(s) : null;
  }

  async listSchedules(params: { source?: 'code' | 'dynamic' }): Promise<ScheduleRecord[]> {
    return [...this.schedules.values()]
      .filter((s) => params.source === undefined || s.source === params.source)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(copySchedule);
  }

  async removeSchedule(params: { name: string }): Promise<boolean> {
    return this.schedules.delete(params.name);
  }

  async fireSchedule(params: FireScheduleParams): Promise<{ fired: boolean; jobs: InsertResult[] }> {
    const now = params.now ?? this.clock();
    const s = this.schedules.get(params.name);
    if (!s || time(s.nextFireAt) !== time(params.expectedNextFireAt)) return { fired: false, jobs: [] };
    s.nextFireAt = params.nextFireAt && new Date(params.nextFireAt.getTime());
    s.lastFireAt = params.lastFireAt && new Date(params.lastFireAt.getTime());
    s.updatedAt = new Date(now);
    return { fired: true, jobs: await this.insert({ jobs: params.jobs, now }) };
  }

  async pause(params: PauseRecord): Promise<void> {
    this.pauses.set(pauseKey(params.scope, params.target), {
      scope: params.scope,
      target: params.target,
      until: params.until && new Date(params.until.getTime()),
      reason: params.reason ?? null,
    });
  }

  async resume(params: { scope: 'queue' | 'name'; target: string }): Promise<boolean> {
    return this.pauses.delete(pauseKey(params.scope, params.target));
  }

  async listPauses(params: { now?: number }): Promise<PauseRecord[]> {
    const now = params.now ?? this.clock();
    return [...this.pauses.values()]
      .filter((p) => p.until === null || p.until.getTime() > now)
      .map((p) => ({ ...p, until: p.until && new Date(p.until.getTime()) }));
  }

  async subscribe(listener: (event: WakeEvent) => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  /** Tell listeners, after the current operation returns, which (queue, name) pairs have work. */
  private wake(jobs: JobRecord[]): void {
    if (jobs.length === 0 || this.listeners.size === 0) return;
    const events = new Map<string, WakeEvent>();
    for (const j of jobs) events.set(keyOf(j.queue, j.name), { queue: j.queue, name: j.name });
    const listeners = [...this.listeners];
    queueMicrotask(() => {
      for (const event of events.values()) {
        for (const listener of listeners) {
          try {
            listener({ ...event });
          } catch {
            // A listener's failure must not break the store or the other listeners.
          }
        }
      }
    });
  }

  async prune(params: PruneParams): Promise<{ jobs: number; attempts: number }> {
    const now = params.now ?? this.clock();
    const batchSize = Math.max(1, params.batchSize ?? DEFAULT_PRUNE_BATCH);
    const cutoff: Partial<Record<JobState, number>> = {
      completed: now - params.completedOlderThanMs,
      failed: now - params.failedOlderThanMs,
      cancelled: now - params.cancelledOlderThanMs,
    };
    let jobs = 0;
    // Batches mirror what the server stores do; here they only bound each pass.
    for (;;) {
      const batch: JobRow[] = [];
      for (const job of this.jobs.values()) {
        const limit = cutoff[job.state];
        if (limit !== undefined && job.finishedAt && job.finishedAt.getTime() < limit) batch.push(job);
        if (batch.length === batchSize) break;
      }
      for (const job of batch) this.drop(job);
      jobs += batch.length;
      if (batch.length < batchSize) break;
    }
    const attemptCutoff = now - params.attemptsOlderThanMs;
    let attempts = 0;
    for (const [id, list] of this.history) {
      const kept = list.filter((a) => a.finishedAt === null || a.finishedAt.getTime() >= attemptCutoff);
      attempts += list.length - kept.length;
      this.history.set(id, kept);
    }
    return { jobs, attempts };
  }
}

/** Applies ClaimLimits to one claim pass, counting what is active plus what this pass took. */
class LimitGate {
  private readonly active = new Map<string, number>();
  private readonly rated = new Map<string, number>();

  constructor(
    private readonly limits: ClaimLimits | undefined,
    activeJobs: Iterable<JobRecord>,
    private readonly recentClaims: (name: string) => ClaimMark[],
  ) {
    if (!limits) return;
    for (const job of activeJobs) this.count(this.active, job);
    for (const name of Object.keys(limits.names ?? {})) {
      if (!limits.names![name].rate) continue;
      for (const mark of recentClaims(name)) this.count(this.rated, { name, queue: '', tenant: mark.tenant }, true);
    }
  }

  admit(job: JobRecord): boolean {
    if (!this.limits) return true;
    const q = this.limits.queues?.[job.queue]?.concurrency;
    if (q !== undefined && (this.active.get(`q\0${job.queue}`) ?? 0) >= q) return false;
    const n = this.limits.names?.[job.name];
    if (n) {
      if (n.concurrency !== undefined && (this.active.get(`n\0${job.name}`) ?? 0) >= n.concurrency) return false;
      if (n.groupConcurrency !== undefined && (this.active.get(groupKey(job)) ?? 0) >= n.groupConcurrency) return false;
      if (n.rate) {
        const used = this.rated.get(n.rate.byGroup ? groupKey(job) : `n\0${job.name}`) ?? 0;
        if (used >= n.rate.max) return false;
      }
    }
    this.count(this.active, job);
    if (n?.rate) this.count(this.rated, job, true);
    return true;
  }

  private count(map: Map<string, number>, job: Pick<JobRecord, 'name' | 'queue' | 'tenant'>, rateOnly = false): void {
    const keys = rateOnly ? [`n\0${job.name}`, groupKey(job)] : [`q\0${job.queue}`, `n\0${job.name}`, groupKey(job)];
    for (const k of keys) map.set(k, (map.get(k) ?? 0) + 1);
  }
}

function groupKey(job: Pick<JobRecord, 'name' | 'tenant'>): string {
  // A null tenant is its own group, distinct from any tenant string.
  return job.tenant === null ? `g\0${job.name}\0` : `g\0${job.name}\0\0${job.tenant}`;
}

function matches(job: JobRecord, filter: { queue?: string; name?: string; tenant?: string }): boolean {
  return (
    (filter.queue === undefined || job.queue === filter.queue) &&
    (filter.name === undefined || job.name === filter.name) &&
    (filter.tenant === undefined || job.tenant === filter.tenant)
  );
}

function keyOf(a: string, b: string): string {
  return `${a}\0${b}`;
}

function pauseKey(scope: string, target: string): string {
  return `${scope}\0${target}`;
}

function time(d: Date | null): number | null {
  return d ? d.getTime() : null;
}

/** Values go through JSON, as they would in Postgres or Redis, so memory tests catch the same surprises. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString().replace(/^id:/, ''));
  if (!Number.isFinite(id)) throw new TypeError(`Invalid list cursor: ${cursor}`);
  return id;
}

function copyJob(job: JobRow): JobRecord {
  return {
    id: job.id,
    name: job.name,
    queue: job.queue,
    state: job.state,
    payload: structuredClone(job.payload),
    result: structuredClone(job.result),
    error: job.error,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    priority: job.priority,
    runAt: new Date(job.runAt.getTime()),
    createdAt: new Date(job.createdAt.getTime()),
    startedAt: job.startedAt && new Date(job.startedAt.getTime()),
    finishedAt: job.finishedAt && new Date(job.finishedAt.getTime()),
    key: job.key,
    tenant: job.tenant,
    progress: job.progress,
    workerId: job.workerId,
    lockedUntil: job.lockedUntil && new Date(job.lockedUntil.getTime()),
    meta: structuredClone(job.meta),
  };
}

function copyAttempt(a: AttemptRecord): AttemptRecord {
  return {
    ...a,
    startedAt: new Date(a.startedAt.getTime()),
    finishedAt: a.finishedAt && new Date(a.finishedAt.getTime()),
    error: a.error && { ...a.error },
    logs: a.logs.map((l) => ({ at: new Date(l.at.getTime()), message: l.message })),
  };
}

function copySchedule(s: ScheduleRecord): ScheduleRecord {
  return {
    ...s,
    payload: structuredClone(s.payload),
    catchUp: structuredClone(s.catchUp),
    nextFireAt: s.nextFireAt && new Date(s.nextFireAt.getTime()),
    lastFireAt: s.lastFireAt && new Date(s.lastFireAt.getTime()),
    createdAt: new Date(s.createdAt.getTime()),
    updatedAt: new Date(s.updatedAt.getTime()),
  };
}
