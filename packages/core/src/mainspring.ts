import { EventEmitter } from 'eventemitter3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnqueueOptions, EnqueueResult } from './define/enqueue-options.js';
import { isRunnable, type JobDefinition } from './define/job.js';
import { CircuitBreakers, type BreakerStatus } from './flow/breaker.js';
import { buildNewJob } from './define/new-job.js';
import { toMs, type Duration } from './duration.js';
import { ConfigError, JobNotFoundError } from './errors.js';
import type { MainspringEvents } from './events.js';
import { consoleLogger, type Logger } from './logger.js';
import { asError } from './runner/execute.js';
import { Periodic } from './runner/periodic.js';
import { Runner } from './runner/runner.js';
import type { RunnerHooks } from './runner/hooks.js';
import type {
  AttemptRecord, ClaimLimits, InsertResult, JobRecord, ListParams, ListResult, Metrics, NewJob, PauseRecord, StateCounts, Store,
} from './store/contract.js';
import { instrumentStore } from './store/instrument.js';
import type { ScheduleDefinition } from './define/schedule.js';
import { ScheduleApi } from './schedule/api.js';
import { Scheduler, type FiredJob } from './schedule/scheduler.js';

/** How long finished jobs and attempt history are kept before pruning. */
export interface RetentionOptions {
  completed?: Duration;
  failed?: Duration;
  cancelled?: Duration;
  attempts?: Duration;
}

export interface MainspringOptions {
  store: Store;
  /** Every job type this process enqueues or runs. */
  jobs?: JobDefinition<any, any>[];
  /** Schedules declared in code; synced to the store when workers start. */
  schedules?: ScheduleDefinition<any>[];
  logger?: Logger;
  /** Per-queue limits across all processes, e.g. `{ emails: { concurrency: 5 } }`. */
  queues?: Record<string, { concurrency?: number }>;
  /** Defaults: completed 7 days, failed 30 days, cancelled 7 days, attempt history 90 days. */
  retention?: RetentionOptions;
}

export interface StartOptions {
  /** Jobs run at once by this process; default 5. */
  concurrency?: number;
  /** Only claim from these queues; default all. */
  queues?: string[];
  /**
   * Jobs claimed ahead of free slots (leased, waiting in this process), so a finished handler's slot
   * is refilled without a store round trip. Default: `concurrency`. 0 claims only for free slots.
   */
  prefetch?: number;
  /** Stop gracefully on SIGINT/SIGTERM, then exit. */
  handleSignals?: boolean;
  /** Lease length; heartbeats renew it at a third of this. Default 30s. */
  leaseTime?: Duration;
  /** Fallback poll when no wake-up arrives. Default 1s with push wake-ups, 200ms without. */
  pollInterval?: Duration;
  /** Default for `stop()`. Default 30s. */
  shutdownTimeout?: Duration;
  /** Identifies this worker in attempt history; default host:pid:random. */
  workerId?: string;
  /** How often due schedules are checked. Default 1s. */
  scheduleInterval?: Duration;
}

export interface EnqueueManyItem<P> {
  payload: P;
  options?: Omit<EnqueueOptions, 'tx'>;
}

type JobRef<P> = JobDefinition<P, any> | string;

const DAY = 86_400_000;

/**
 * The object an application holds: enqueue and inspect jobs, and (in worker processes) run them.
 * Create it with {@link createMainspring}.
 */
export class Mainspring extends EventEmitter<MainspringEvents> {
  /** The store, wrapped so every call is logged and connection failures become `StoreUnavailableError`. */
  readonly store: Store;
  readonly logger: Logger;
  private readonly definitions = new Map<string, JobDefinition<any, any>>();
  private readonly scheduler: Scheduler;
  /** Stored schedules: upsert, get, list, remove, enable, disable, runNow. */
  readonly schedules: ScheduleApi;
  private readonly queueLimits: Record<string, { concurrency?: number }>;
  private readonly breakers: CircuitBreakers;
  private staticLimits: ClaimLimits | undefined;
  private readonly retention: Required<{ [K in keyof RetentionOptions]: number }>;
  private migrated: Promise<void> | null = null;
  private isReady = false;
  private warmedUp: Promise<void> | null = null;
  private runner: Runner | null = null;
  private background: Periodic[] = [];
  private unsubscribe: (() => Promise<void>) | null = null;
  private shutdownTimeoutMs = 30_000;
  private closed = false;
  private signalHandler: ((signal: NodeJS.Signals) => void) | null = null;

  constructor(options: MainspringOptions) {
    super();
    if (!options || !options.store || typeof options.store.claim !== 'function') {
      throw new ConfigError('createMainspring: `store` is required (e.g. memoryStore(), pgStore(...), redisStore(...))');
    }
    this.logger = options.logger ?? consoleLogger;
    this.store = instrumentStore(options.store, this.logger);
    for (const definition of options.jobs ?? []) {
      if (!definition || definition.kind !== 'job') throw new ConfigError('createMainspring: `jobs` must contain defineJob(...) results');
      if (this.definitions.has(definition.name)) throw new ConfigError(`createMainspring: job "${definition.name}" is registered twice`);
      this.definitions.set(definition.name, definition);
    }
    const declared = new Map<string, ScheduleDefinition<any>>();
    for (const schedule of options.schedules ?? []) {
      if (!schedule || schedule.kind !== 'schedule') throw new ConfigError('createMainspring: `schedules` must contain defineSchedule(...) results');
      if (declared.has(schedule.name)) throw new ConfigError(`createMainspring: schedule "${schedule.name}" is declared twice`);
      if (this.definitions.get(schedule.job.name) !== schedule.job) {
        throw new ConfigError(`createMainspring: schedule "${schedule.name}" uses job "${schedule.job.name}", which is not in \`jobs\``);
      }
      declared.set(schedule.name, schedule);
    }
    this.scheduler = new Scheduler(this.store, this.definitions, declared, (error) => this.emitError(error));
    this.schedules = new ScheduleApi(this.store, () => this.migrate(), this.definitions, this.scheduler, (rows) => this.insert(rows), (fired) => this.emitFired(fired));
    this.queueLimits = options.queues ?? {};
    this.staticLimits = this.buildLimits();
    this.breakers = new CircuitBreakers(this.store, this.definitions, {
      open: (event) => this.emit('breaker:open', event),
      close: (event) => this.emit('breaker:close', event),
    });
    const r = options.retention ?? {};
    const ms = (value: Duration | undefined, fallback: number, what: string) => (value === undefined ? fallback : toMs(value, what));
    this.retention = {
      completed: ms(r.completed, 7 * DAY, 'retention.completed'),
      failed: ms(r.failed, 30 * DAY, 'retention.failed'),
      cancelled: ms(r.cancelled, 7 * DAY, 'retention.cancelled'),
      attempts: ms(r.attempts, 90 * DAY, 'retention.attempts'),
    };
  }

  /** Registered job definitions by name. */
  get jobs(): ReadonlyMap<string, JobDefinition<any, any>> {
    return this.definitions;
  }

  /**
   * Call it at startup: migrates the store (once), so a bad connection fails fast, and lets the
   * store warm up its enqueue path (a Postgres connection with the insert statements prepared), so
   * the first enqueue is as quick as the rest. Needed before enqueueing inside a transaction on the
   * embedded store. Without it, the first call that needs the store migrates it.
   *
   * @example await ms.ready();
   */
  async ready(): Promise<void> {
    await this.migrate();
    this.warmedUp ??= this.warmUp('enqueue');
    await this.warmedUp;
  }

  /** Migrates the store once; every call that needs the store awaits this first. */
  private migrate(): Promise<void> {
    // A store set up for explicit migrations is used as it is.
    this.migrated ??= (this.store.migrateOnStart === false ? Promise.resolve() : this.store.migrate()).then(
      () => {
        this.isReady = true;
      },
      (error) => {
        this.migrated = null;
        throw error;
      },
    );
    return this.migrated;
  }

  /** Lets the store prepare its hot path; only an optimization, so a failure is ignored. */
  private async warmUp(role: 'enqueue' | 'work'): Promise<void> {
    await this.store.warmUp?.({ role }).catch(() => {});
  }

  /**
   * Enqueue a job. Validates the payload with the job's schema first (a `ValidationError` means
   * nothing was stored). With a key, a second enqueue returns the live job and `deduplicated: true`.
   *
   * @example
   * const { id, deduplicated } = await ms.enqueue(sendEmail, { to, template: 'welcome' }, { key: `welcome:${userId}` });
   */
  async enqueue<P>(job: JobRef<P>, payload: NoInfer<P>, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const row = buildNewJob(this.definition(job), payload, options);
    const [result] = await this.insert([row], options.tx);
    return result!;
  }

  /**
   * Enqueue many jobs of one type in one store round trip. Every payload is validated first; one
   * bad payload rejects the whole call and nothing is stored.
   *
   * @example await ms.enqueueMany(sendEmail, users.map((u) => ({ payload: { to: u.email, template: 'digest' } })));
   */
  async enqueueMany<P>(job: JobRef<P>, items: EnqueueManyItem<NoInfer<P>>[]): Promise<EnqueueResult[]> {
    const definition = this.definition(job);
    if (!Array.isArray(items)) throw new ConfigError('enqueueMany: items must be an array of { payload, options? }');
    const rows = items.map((item, index) => {
      try {
        return buildNewJob(definition, item?.payload, item?.options);
      } catch (error) {
        (error as Error).message = `item ${index}: ${(error as Error).message}`;
        throw error;
      }
    });
    return rows.length ? this.insert(rows) : [];
  }

  /** A job by id, or null. */
  async getJob(id: string): Promise<JobRecord | null> {
    await this.migrate();
    return this.store.get({ id: String(id) });
  }

  /** Every attempt of a job, oldest first, with error, stack and logs. */
  async getJobAttempts(id: string): Promise<AttemptRecord[]> {
    await this.migrate();
    return this.store.attempts({ jobId: String(id) });
  }

  /** Jobs newest first, filtered, paged with `nextCursor`. */
  async listJobs(params: ListParams = {}): Promise<ListResult> {
    await this.migrate();
    return this.store.list(params);
  }

  /** Job counts per state. */
  async countJobs(filter: { queue?: string; name?: string; tenant?: string } = {}): Promise<StateCounts> {
    await this.migrate();
    return this.store.counts(filter);
  }

  /** Completed/failed counts and mean duration over the last `window` (default 1h). */
  async metrics(params: { window?: Duration; name?: string; queue?: string; tenant?: string } = {}): Promise<Metrics> {
    await this.migrate();
    const to = await this.store.now();
    const { window, ...filter } = params;
    return this.store.metrics({ ...filter, from: to - toMs(window ?? '1h', 'window'), to });
  }

  /** Cancel a pending or running job (a running handler's signal is aborted). Throws `JobNotFoundError`. */
  async cancelJob(id: string): Promise<JobRecord> {
    await this.migrate();
    const job = this.found(id, await this.store.cancel({ id: String(id) }));
    this.runner?.abortLocal(job.id, 'cancelled');
    return job;
  }

  /** Run a failed, cancelled or completed job again with its attempts renewed. Throws `JobNotFoundError`. */
  async retryJob(id: string): Promise<JobRecord> {
    await this.migrate();
    const current = this.found(id, await this.store.get({ id: String(id) }));
    const attempts = this.definitions.get(current.name)?.retry.attempts ?? current.maxAttempts;
    const job = this.found(id, await this.store.retry({ id: String(id), attempts }));
    if (job.state === 'pending') this.runner?.wake();
    return job;
  }

  /** Make a delayed or backing-off job runnable now. Throws `JobNotFoundError`. */
  async promoteJob(id: string): Promise<JobRecord> {
    await this.migrate();
    const job = this.found(id, await this.store.promote({ id: String(id) }));
    this.runner?.wake();
    return job;
  }

  /** Delete a job and its history. Throws `JobNotFoundError`. */
  async removeJob(id: string): Promise<void> {
    await this.migrate();
    if (!(await this.store.remove({ id: String(id) }))) throw new JobNotFoundError(String(id));
    this.runner?.abortLocal(String(id), 'cancelled');
  }

  /** Pause a queue for every process sharing the store; it keeps accepting jobs. */
  async pauseQueue(queue: string, options: { reason?: string } = {}): Promise<void> {
    await this.migrate();
    await this.store.pause({ scope: 'queue', target: queue, until: null, reason: options.reason ?? null });
  }

  async resumeQueue(queue: string): Promise<void> {
    await this.migrate();
    await this.store.resume({ scope: 'queue', target: queue });
    this.runner?.wake();
  }

  /** True while this process runs workers. */
  get isRunning(): boolean {
    return this.runner !== null;
  }

  /**
   * Run workers in this process: claim jobs this process has handlers for, up to `concurrency` at once.
   *
   * @example await ms.start({ concurrency: 5, handleSignals: true });
   */
  async start(options: StartOptions = {}): Promise<void> {
    if (this.closed) throw new ConfigError('start(): this instance is closed');
    if (this.runner) return;
    const concurrency = options.concurrency ?? 5;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('start(): concurrency must be an integer >= 1');
    const prefetch = options.prefetch ?? concurrency;
    if (!Number.isInteger(prefetch) || prefetch < 0) throw new ConfigError('start(): prefetch must be an integer >= 0');
    for (const queue of options.queues ?? []) if (typeof queue !== 'string') throw new ConfigError('start(): queues must be strings');
    const leaseMs = toMs(options.leaseTime ?? '30s', 'leaseTime');
    if (leaseMs < 1_000) throw new ConfigError('start(): leaseTime must be at least 1s');
    this.shutdownTimeoutMs = toMs(options.shutdownTimeout ?? '30s', 'shutdownTimeout');
    await this.migrate();
    const runner = new Runner(
      this.store,
      this.definitions,
      {
        workerId: options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        concurrency,
        prefetch,
        queues: options.queues,
        leaseMs,
        heartbeatMs: Math.max(250, Math.floor(leaseMs / 3)),
        pollIntervalMs: toMs(options.pollInterval ?? (this.store.capabilities.push ? '1s' : '200ms'), 'pollInterval'),
        limits: () => this.claimLimits(),
      },
      this.runnerHooks(),
      this.logger,
    );
    this.runner = runner;
    // Claiming starts while the wake-up subscription connects (a LISTEN connection takes a few ms);
    // once it is live, one more claim finds whatever was enqueued in between.
    const subscribing = this.store.subscribe((event) => {
      this.emit('store:wake', event);
      const definition = this.definitions.get(event.name);
      if (definition && isRunnable(definition)) runner.wake();
    });
    runner.start();
    try {
      const unsubscribe = await subscribing;
      // A stop() meanwhile found no subscription to end.
      if (this.runner !== runner) return await unsubscribe().catch((error) => this.emitError(error));
      this.unsubscribe = unsubscribe;
      runner.wake();
    } catch (error) {
      this.emitError(error); // polling still finds the jobs
    }
    await this.scheduler.sync().catch((error) => this.emitError(error));
    if (this.runner !== runner) return;
    this.background = [
      new Periodic(toMs(options.scheduleInterval ?? '1s', 'scheduleInterval'), () => this.fireSchedules(), (e) => this.emitError(e)),
      new Periodic(Math.min(15_000, Math.max(1_000, Math.floor(leaseMs / 2))), () => this.rescue(), (e) => this.emitError(e)),
      new Periodic(10 * 60_000, () => this.prune(), (e) => this.emitError(e)),
      ...(this.breakers.enabled ? [new Periodic(1_000, () => this.breakers.refresh(), (e) => this.emitError(e))] : []),
    ];
    for (const task of this.background) task.start(true);
    if (options.handleSignals) this.handleSignals();
  }

  /**
   * Stop working gracefully: stop claiming, wait up to `timeout` for running jobs, then abort them
   * and hand their leases back so another worker picks them up at once. Enqueueing still works.
   */
  async stop(options: { timeout?: Duration } = {}): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    const timeoutMs = options.timeout === undefined ? this.shutdownTimeoutMs : toMs(options.timeout, 'timeout');
    await Promise.all(this.background.map((task) => task.stop()));
    this.background = [];
    await runner.stop(timeoutMs);
    await this.unsubscribe?.().catch((error) => this.emitError(error));
    this.unsubscribe = null;
    this.runner = null;
    if (this.signalHandler) {
      process.off('SIGINT', this.signalHandler);
      process.off('SIGTERM', this.signalHandler);
      this.signalHandler = null;
    }
  }

  /** Stop (if running) and close the store's connections. */
  async close(options: { timeout?: Duration } = {}): Promise<void> {
    if (this.closed) return;
    await this.stop(options);
    this.closed = true;
    await this.store.close();
  }

  /**
   * @internal Used by `drain()` from `@mainspring/core/testing`: run due jobs inline until quiet.
   * Not for production workers (use `start()`).
   */
  async drainJobs(options: { concurrency?: number; maxJobs?: number; runDelayed?: boolean } = {}): Promise<number> {
    if (this.runner) throw new ConfigError('drain(): stop() the running workers first');
    await this.migrate();
    const runner = new Runner(
      this.store,
      this.definitions,
      { workerId: `drain:${randomUUID().slice(0, 8)}`, concurrency: options.concurrency ?? 10, prefetch: 0, leaseMs: 60_000, heartbeatMs: 20_000, pollIntervalMs: 0, limits: () => this.claimLimits() },
      this.runnerHooks(),
      this.logger,
    );
    const promoteDue = async () => {
      if (!options.runDelayed) return;
      for (let cursor: string | null = null; ; ) {
        const page: ListResult = await this.store.list({ state: 'pending', limit: 500, cursor });
        for (const job of page.jobs) if (this.runnable(job.name)) await this.store.promote({ id: job.id });
        if (!page.nextCursor) return;
        cursor = page.nextCursor;
      }
    };
    return runner.drain(options.maxJobs ?? 10_000, promoteDue);
  }

  /** Rescue jobs whose worker died (lease expired); emits `job:stalled` for each. */
  async rescue(): Promise<JobRecord[]> {
    const { rescued } = await this.store.rescueExpired({});
    for (const job of rescued) this.emit('job:stalled', { job });
    if (rescued.some((job) => job.state === 'pending')) this.runner?.wake();
    return rescued;
  }

  /** Delete finished jobs and history past the retention windows. */
  async prune(): Promise<{ jobs: number; attempts: number }> {
    const r = this.retention;
    return this.store.prune({
      completedOlderThanMs: r.completed,
      failedOlderThanMs: r.failed,
      cancelledOlderThanMs: r.cancelled,
      attemptsOlderThanMs: r.attempts,
    });
  }

  private async fireSchedules(): Promise<void> {
    const fired = await this.scheduler.tick();
    this.emitFired(fired);
  }

  private emitFired(fired: FiredJob[]): void {
    for (const { schedule, fireTime, jobId, backfill, deduplicated } of fired) {
      if (!deduplicated) this.emit('schedule:fired', { schedule, fireTime, jobId, backfill });
    }
    if (fired.length) this.runner?.wake();
  }

  /** @internal Definition for a job reference; unknown names are a programming error. */
  definition<P>(job: JobRef<P>): JobDefinition<P, any> {
    const name = typeof job === 'string' ? job : job?.name;
    const definition = name === undefined ? undefined : this.definitions.get(name);
    if (!definition) {
      throw new ConfigError(`Unknown job ${JSON.stringify(name)}: register it with createMainspring({ jobs: [...] })`);
    }
    if (typeof job !== 'string' && definition !== job) {
      throw new ConfigError(`Job "${name}" passed here is not the definition registered under that name`);
    }
    return definition;
  }

  /** @internal Insert rows, emit `job:enqueued` and wake a local runner. */
  async insert(rows: NewJob[], tx?: unknown): Promise<EnqueueResult[]> {
    if (tx !== undefined && !this.store.capabilities.transactions) {
      throw new ConfigError(`The ${this.store.name} store does not support transactional enqueue (tx)`);
    }
    if (tx !== undefined && this.store.capabilities.singleConnection && !this.isReady) {
      // The caller's transaction holds the only connection: a first migration now would wait forever.
      throw new ConfigError(`Call \`await ms.ready()\` at startup before enqueueing inside a transaction on the ${this.store.name} store`);
    }
    await this.migrate();
    const results: InsertResult[] = await this.store.insert({ jobs: rows, tx });
    for (const { job, deduplicated } of results) if (!deduplicated) this.emit('job:enqueued', { job });
    // A transaction may still roll back; the store's own notification covers the commit.
    if (tx === undefined && this.runner) this.runner.wake();
    return results.map(({ job, deduplicated }) => ({ id: job.id, state: job.state, deduplicated, job }));
  }

  private found(id: string, job: JobRecord | null): JobRecord {
    if (!job) throw new JobNotFoundError(String(id));
    return job;
  }

  /** Paused queues and job types, and the state of every circuit breaker: what a status page shows. */
  async flowStatus(): Promise<{ pauses: PauseRecord[]; breakers: Record<string, BreakerStatus> }> {
    await this.migrate();
    await this.breakers.refresh();
    return { pauses: await this.store.listPauses({}), breakers: this.breakers.status() };
  }

  private runnable(name: string): boolean {
    const definition = this.definitions.get(name);
    return definition !== undefined && isRunnable(definition);
  }

  /** The limits every claim sends: declared ones, plus concurrency 1 for half-open breakers. */
  private claimLimits(): ClaimLimits | undefined {
    const probing = this.breakers.halfOpen();
    if (!probing.length) return this.staticLimits;
    const names = { ...this.staticLimits?.names };
    for (const name of probing) names[name] = { ...names[name], concurrency: 1 };
    return { ...this.staticLimits, names };
  }

  private buildLimits(): ClaimLimits | undefined {
    const names: NonNullable<ClaimLimits['names']> = {};
    for (const d of this.definitions.values()) {
      if (!d.concurrency && !d.group?.concurrency && !d.rateLimit) continue;
      names[d.name] = {
        ...(d.concurrency ? { concurrency: d.concurrency } : {}),
        ...(d.group?.concurrency ? { groupConcurrency: d.group.concurrency } : {}),
        ...(d.rateLimit ? { rate: { max: d.rateLimit.max, perMs: d.rateLimit.perMs, byGroup: d.rateLimit.byGroup } } : {}),
      };
    }
    const hasQueues = Object.keys(this.queueLimits).length > 0;
    const hasNames = Object.keys(names).length > 0;
    return hasQueues || hasNames ? { ...(hasQueues ? { queues: this.queueLimits } : {}), ...(hasNames ? { names } : {}) } : undefined;
  }

  private runnerHooks(): RunnerHooks {
    return {
      // Events are built only when someone listens: this runs for every job on the hot path.
      started: (exec) => {
        if (this.listenerCount('job:started')) this.emit('job:started', { job: exec.job, attempt: exec.job.attempts, workerId: exec.job.workerId ?? '' });
      },
      completed: (exec, result) => {
        if (this.breakers.enabled) this.breakers.succeeded(exec.job.name);
        if (this.listenerCount('job:completed')) this.emit('job:completed', {
          job: { ...exec.job, state: 'completed', result, finishedAt: new Date(), workerId: null, lockedUntil: null },
          result,
          durationMs: Date.now() - exec.startedAt,
        });
      },
      failed: (exec, error, retryDelayMs) => {
        if (this.breakers.enabled) this.breakers.failed(exec.job.name).catch((e) => this.emitError(e));
        const job = { ...exec.job, error: error.message, workerId: null, lockedUntil: null };
        if (retryDelayMs === null) {
          this.emit('job:failed', { job: { ...job, state: 'failed', finishedAt: new Date() }, error, attempt: exec.job.attempts });
        } else {
          this.emit('job:retrying', {
            job: { ...job, state: 'pending', runAt: new Date(Date.now() + retryDelayMs) },
            error,
            attempt: exec.job.attempts,
            delayMs: retryDelayMs,
          });
        }
      },
      error: (error) => this.emitError(error),
      enqueue: (definition, payload, options) => this.enqueue(definition as JobRef<unknown>, payload, options),
      // Warm the worker's path once it has nothing to do, so warming never slows down real work.
      idle: () => void this.warmUp('work'),
    };
  }

  private emitError(error: unknown): void {
    const err = asError(error);
    if (this.listenerCount('error') === 0) this.logger.error(err.message, { error: err });
    this.emit('error', err);
  }

  private handleSignals(): void {
    this.signalHandler = (signal) => {
      this.logger.info(`Received ${signal}: shutting down gracefully`);
      void this.close().finally(() => process.kill(process.pid, signal));
    };
    process.once('SIGINT', this.signalHandler);
    process.once('SIGTERM', this.signalHandler);
  }
}

/**
 * Create the object an application holds.
 *
 * @example
 * const ms = createMainspring({ store: memoryStore(), jobs: [sendEmail] });
 * await ms.enqueue(sendEmail, { to: 'a@example.com', template: 'welcome' });
 * await ms.start({ concurrency: 5 });
 */
export function createMainspring(options: MainspringOptions): Mainspring {
  return new Mainspring(options);
}
