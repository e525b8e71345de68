import type { BatchContext, JobDefinition } from '../define/job.js';
import { isRunnable } from '../define/job.js';
import type { Logger } from '../logger.js';
import type { ClaimLimits, JobRecord, Store } from '../store/contract.js';
import { asError, errorInfo, execute, Execution, JobAbortedError, type AbortCause, type Outcome } from './execute.js';
import { RunnerJobContext, type ContextDeps } from './context.js';
import { executeBatch } from './batch.js';
import { Settler } from './settler.js';
import { Fifo } from './fifo.js';
import { ActiveList } from './active-list.js';
import type { RunnerHooks } from './hooks.js';

export interface RunnerOptions {
  workerId: string;
  concurrency: number;
  queues?: string[];
  leaseMs: number;
  pollIntervalMs: number;
  heartbeatMs: number;
  /** Jobs claimed ahead of free slots, so a finished handler's slot is refilled without a store round trip. */
  prefetch: number;
  /** Read before every claim, so limits can change while running (e.g. a half-open circuit breaker). */
  limits?: () => ClaimLimits | undefined;
}

/**
 * The claim loop: claims batches up to free concurrency (one store call per batch), runs handlers,
 * keeps leases alive with heartbeats and settles outcomes in batches. Holds no state a crash would
 * lose: everything that matters is in the store, and an unsettled job simply runs again.
 */
export class Runner {
  /** Attempts in flight: running, or finished with the outcome not yet written. */
  readonly active = new ActiveList();
  private readonly settler: Settler;
  /** Job types claimed one at a time by the main loop; batch types each get a loop of their own. */
  private readonly names: string[];
  private readonly batchTypes: JobDefinition<any, any>[];
  private stopping = false;
  private loopsDone: Promise<unknown> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  /** Concurrency slots in use: a single job or a whole batch takes one. */
  private busy = 0;
  /** Claimed (leased) jobs waiting for a free slot, in claim order. */
  private readonly buffer = new Fifo<JobRecord>();
  /** Jobs asked for by claims in flight, so concurrent claim loops never over-fill the buffer. */
  private claiming = 0;
  /** Bumped by every wake-up, so a loop can tell whether one came while it was claiming. */
  private wakeSeq = 0;
  /** A claim from idle is in flight: until it answers, nobody knows whether there is more work. */
  private probing = false;
  /** `wakeSeq` when a claim last came back short (the store had no more work then), and when. */
  private emptySeq = -1;
  private emptyAt = 0;
  private wentIdle = false;
  private readonly wakeWaiters = new Set<() => void>();
  private readonly slotWaiters = new Set<() => void>();
  private readonly stopController = new AbortController();
  private pumping = false;
  /** Handlers running (a batch counts once); `whenIdle()` resolves when it drops to zero. */
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();
  private readonly contextDeps: ContextDeps;

  constructor(
    private readonly store: Store,
    private readonly definitions: Map<string, JobDefinition<any, any>>,
    private readonly options: RunnerOptions,
    private readonly hooks: RunnerHooks,
    private readonly logger: Logger,
  ) {
    const runnable = [...definitions.values()].filter(isRunnable);
    this.names = runnable.filter((d) => !d.batch).map((d) => d.name);
    this.batchTypes = runnable.filter((d) => d.batch);
    this.settler = new Settler(store, options.workerId, (error) => hooks.error(asError(error)));
    this.contextDeps = { store, workerId: options.workerId, hooks };
  }

  get workerId(): string {
    return this.options.workerId;
  }

  start(): void {
    if (this.names.length === 0 && this.batchTypes.length === 0) {
      this.logger.warn('start() called but no registered job has a handler; this process will not claim jobs');
    }
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref?.();
    // Two claim loops keep a claim in flight while the previous batch is being started: round trips overlap.
    const claimers = this.names.length ? (this.options.concurrency + this.options.prefetch >= 8 ? 2 : 1) : 0;
    this.loopsDone = Promise.all([...Array.from({ length: claimers }, () => this.loop()), ...this.batchTypes.map((d) => this.batchLoop(d))]);
  }

  /** New runnable jobs may exist: skip the rest of the poll wait. */
  wake(): void {
    this.wakeSeq++;
    for (const waiter of [...this.wakeWaiters]) waiter();
  }

  /** Abort a job running in this process (cancel from the same process needs no heartbeat to notice). */
  abortLocal(id: string, cause: AbortCause): void {
    // Every attempt of it: after a lost lease the same job can be running here twice.
    for (const exec of this.active) if (exec.job.id === id) exec.abort(new JobAbortedError(cause));
    this.dropBuffered([id]);
  }

  /**
   * Stop claiming, let active jobs finish for up to `timeoutMs`, then abort the rest and hand
   * their leases back so another worker picks them up at once.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.stopController.abort();
    this.wake();
    this.freeSlot();
    await this.loopsDone;
    await this.releaseJobs(this.buffer.takeAll().map((job) => job.id));
    if (this.inFlight) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.whenIdle(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    const leftover = [...this.active].filter((exec) => !exec.settling);
    for (const exec of leftover) exec.abort(new JobAbortedError('shutdown'));
    await this.releaseJobs(leftover.map((exec) => exec.job.id));
    await this.whenIdle();
    this.settler.giveUp();
    await this.settler.flush();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
  }

  /** Hand leases back so other workers start these jobs at once; on failure the leases simply expire. */
  private async releaseJobs(ids: string[]): Promise<void> {
    if (!ids.length) return;
    try {
      await this.store.release({ workerId: this.workerId, ids });
    } catch (error) {
      this.hooks.error(asError(error));
    }
  }

  /**
   * Test mode: claim and run every due job inline until nothing is due (or `maxJobs` ran).
   * `beforeClaim` lets callers make more jobs due (e.g. promote delayed retries) between rounds.
   */
  async drain(maxJobs: number, beforeClaim?: () => Promise<void>): Promise<number> {
    let ran = 0;
    while (ran < maxJobs) {
      await beforeClaim?.();
      let claimed = 0;
      if (this.names.length) {
        const jobs = await this.claimOnce(this.names, Math.min(this.options.concurrency, maxJobs - ran));
        for (const job of jobs) this.run(job);
        claimed += jobs.length;
      }
      for (const definition of this.batchTypes) {
        const jobs = await this.claimOnce([definition.name], Math.min(definition.batch!.size, maxJobs - ran - claimed));
        if (jobs.length) this.runBatch(jobs);
        claimed += jobs.length;
      }
      if (!claimed) break;
      await this.whenIdle();
      await this.settler.flush();
      ran += claimed;
    }
    return ran;
  }

  /**
   * Keeps free slots plus a prefetch buffer filled: claims when at least half of that room is free
   * (or anything is free while idle), so claims come in batches and a finished handler's slot is
   * refilled from the buffer without waiting for the store. Half rather than less: each claim is a
   * statement with a fixed cost in the store, and fewer, bigger claims measured cheaper per job.
   */
  private async loop(): Promise<void> {
    const capacity = this.options.concurrency + this.options.prefetch;
    const minBatch = Math.max(1, Math.ceil(capacity / 2));
    while (!this.stopping) {
      const room = capacity - this.busy - this.buffer.length - this.claiming;
      const idle = this.buffer.length === 0 && this.claiming === 0 && this.busy < this.options.concurrency;
      // While a claim from idle is out, a second one would mostly find nothing (one new job wakes
      // both loops) and compete with the first for the database; it waits for the answer instead.
      if (room <= 0 || (room < minBatch && !idle) || this.probing) {
        await this.slotFreed();
        continue;
      }
      const seq = this.wakeSeq;
      if (this.emptySeq === seq) {
        // A claim found the store empty since the last wake-up: wait for the next one or the poll.
        const wait = this.emptyAt + this.options.pollIntervalMs - Date.now();
        if (wait > 0) {
          await this.waitForWork(wait);
          continue;
        }
      }
      // From idle, a smaller first claim starts handlers sooner; if it comes back full, the other
      // loop claims the rest of the room right after it.
      const size = idle ? Math.min(room, Math.max(this.options.concurrency, Math.ceil(minBatch / 2))) : room;
      let jobs: JobRecord[];
      this.claiming += size;
      this.probing = idle;
      try {
        jobs = await this.claim(this.names, size);
      } catch {
        break; // only when stopping: claim retries store errors until then
      } finally {
        this.claiming -= size;
        this.probing = false;
      }
      if (jobs.length < size && seq === this.wakeSeq) {
        this.emptySeq = seq;
        this.emptyAt = Date.now();
      }
      // Idle: nothing to claim and nothing running, buffered or being settled here.
      if (!this.wentIdle && jobs.length === 0 && this.active.empty && this.buffer.length === 0) {
        this.wentIdle = true;
        this.hooks.idle();
      }
      if (this.stopping) {
        await this.releaseJobs(jobs.map((job) => job.id));
        break;
      }
      for (const job of jobs) this.buffer.push(job);
      this.pump();
      this.freeSlot(); // the other claimer may now have room
    }
  }

  /**
   * Start buffered jobs while slots are free. A handler that is not async finishes inside run(),
   * and its freed slot calls pump() again: the flag keeps that from recursing once per buffered job
   * (the loop here picks the slot up instead).
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.busy < this.options.concurrency && this.buffer.length && !this.stopping) this.run(this.buffer.shift()!);
    } finally {
      this.pumping = false;
    }
  }

  private dropBuffered(ids: string[]): void {
    if (!this.buffer.length) return;
    const drop = new Set(ids);
    this.buffer.retain((job) => !drop.has(job.id));
  }

  /**
   * One loop per batch job type: claim up to `batch.size` of it, wait up to `batch.wait` for the
   * batch to fill, then hand the jobs to the handler together. A batch takes one concurrency slot.
   */
  private async batchLoop(definition: JobDefinition<any, any>): Promise<void> {
    const { size, waitMs } = definition.batch!;
    while (!this.stopping) {
      if (this.options.concurrency - this.busy <= 0) {
        await this.slotFreed();
        continue;
      }
      this.busy++; // reserve the slot while the batch fills
      const jobs: JobRecord[] = [];
      try {
        const deadline = Date.now() + waitMs;
        for (;;) {
          const seq = this.wakeSeq;
          jobs.push(...(await this.claim([definition.name], size - jobs.length)));
          const left = deadline - Date.now();
          if (jobs.length >= size || this.stopping || (jobs.length && left <= 0)) break;
          if (seq === this.wakeSeq) await this.waitForWork(jobs.length ? Math.min(left, this.options.pollIntervalMs) : this.options.pollIntervalMs);
        }
      } catch {
        // only when stopping; claimed jobs still run below or are released by stop()
      }
      this.busy--;
      if (jobs.length) this.runBatch(jobs);
    }
  }

  private claimOnce(names: string[], limit: number): Promise<JobRecord[]> {
    const { workerId, leaseMs, queues, limits } = this.options;
    return this.store.claim({ workerId, names, queues, limit, leaseMs, limits: limits?.() });
  }

  /**
   * Claim with backoff on store errors (100 ms doubling to 5 s, randomized up to twice that): the
   * runner never crashes on an outage, it reports and waits. Rejects only once stopping.
   */
  private async claim(names: string[], limit: number): Promise<JobRecord[]> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        return await this.claimOnce(names, limit);
      } catch (error) {
        this.hooks.error(asError(error));
      }
      if (this.stopping) throw new Error('Runner stopped');
      await this.backoff(delay * (1 + Math.random()));
      if (this.stopping) throw new Error('Runner stopped');
    }
  }

  /** Waits `ms`, or less if the runner stops meanwhile (new-job wake-ups do not cut it short). */
  private backoff(ms: number): Promise<void> {
    const { signal } = this.stopController;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeWaiters.add(done);
    });
  }

  private slotFreed(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.slotWaiters.delete(done);
        resolve();
      };
      this.slotWaiters.add(done);
    });
  }

  private freeSlot(): void {
    for (const waiter of [...this.slotWaiters]) waiter();
  }

  /** One job in one slot; no arrays, promises or closures of its own, since this runs for every job. */
  private run(job: JobRecord): void {
    const exec = this.track(job);
    this.enter();
    execute(exec, new RunnerJobContext(exec, this.contextDeps), this.leave);
  }

  /** The outcome of a single job is known (bound once: execute() calls it for every job). */
  private readonly leave = (exec: Execution, outcome: Outcome): void => {
    try {
      this.settle(exec, outcome);
    } catch (error) {
      // Never expected; reported rather than thrown into a handler's promise (an unhandled rejection).
      this.hooks.error(asError(error));
    } finally {
      this.exit();
    }
  };

  private runBatch(jobs: JobRecord[]): void {
    const execs = jobs.map((job) => this.track(job));
    void this.occupy(execs, executeBatch(execs, (members, signal) => this.batchContext(members, signal)));
  }

  private track(job: JobRecord): Execution {
    const exec = new Execution(job, this.definitions.get(job.name)!);
    this.active.add(exec);
    this.hooks.started(exec);
    return exec;
  }

  /**
   * Holds one concurrency slot while the handler runs; the slot frees as soon as the outcome is
   * known, and the settle is written in the background (batched with others).
   */
  private async occupy(execs: Execution[], work: Promise<Outcome | Outcome[]>): Promise<void> {
    this.enter();
    let outcomes: Outcome[];
    try {
      const done = await work;
      outcomes = Array.isArray(done) ? done : [done];
    } catch (error) {
      // execute() never throws; if it somehow did, the leases expire and the jobs run again.
      this.hooks.error(asError(error));
      outcomes = execs.map(() => ({ kind: 'abandoned', cause: 'lease-lost' }));
    }
    for (let i = 0; i < execs.length; i++) this.settle(execs[i]!, outcomes[i]!);
    this.exit();
  }

  /** A handler (or a batch) takes a slot. */
  private enter(): void {
    this.busy++;
    this.inFlight++;
  }

  /** Its outcome is known: free the slot (the settle is written in the background). */
  private exit(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const waiter of [...this.idleWaiters]) waiter();
    this.slotDone();
  }

  /** Resolves when no handler is running. */
  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.idleWaiters.delete(done);
        resolve();
      };
      this.idleWaiters.add(done);
    });
  }

  private slotDone(): void {
    this.busy--;
    this.pump();
    this.freeSlot();
  }

  /** Hands an outcome to the settler; the job leaves `active` once the store has it. */
  private settle(exec: Execution, outcome: Outcome): void {
    const { job, logs } = exec;
    exec.settling = true;
    if (outcome.kind === 'abandoned') {
      this.active.delete(exec);
      if (outcome.cause === 'lease-lost') this.logger.warn(`Lost the lease of job ${job.id} (${job.name}); it will run again elsewhere`);
      return;
    }
    if (outcome.kind === 'completed' && !isSerializable(outcome.result)) {
      outcome = { kind: 'failed', error: new TypeError(`Job "${job.name}" returned a value that cannot be stored as JSON`), retryDelayMs: null };
    }
    if (outcome.kind === 'completed') {
      const { result } = outcome;
      this.settler.complete({ id: job.id, attempt: job.attempts, result, logs }, (verdict) => {
        this.active.delete(exec);
        if (verdict === 'settled') this.hooks.completed(exec, result);
      });
      return;
    }
    const { error, retryDelayMs } = outcome;
    this.settler.fail({ id: job.id, attempt: job.attempts, error: errorInfo(error), retryDelayMs, logs }, (verdict) => {
      this.active.delete(exec);
      if (verdict === 'settled') this.hooks.failed(exec, error, retryDelayMs);
    });
  }

  /** Extend leases of running jobs; abort those the store says we no longer hold. */
  private async heartbeat(): Promise<void> {
    const ids = [...this.active].filter((exec) => !exec.settling).map((exec) => exec.job.id);
    for (const job of this.buffer) ids.push(job.id);
    if (!ids.length) return;
    try {
      const { lost } = await this.store.extendLeases({ workerId: this.workerId, ids, leaseMs: this.options.leaseMs });
      if (!lost.length) return;
      this.dropBuffered(lost);
      const gone = new Set(lost);
      for (const exec of this.active) if (gone.has(exec.job.id) && !exec.settling) exec.abort(new JobAbortedError('lease-lost'));
    } catch (error) {
      this.hooks.error(asError(error));
    }
  }

  private batchContext(execs: Execution[], signal: AbortSignal): BatchContext<any> {
    const logs = execs.map((exec) => exec.logs);
    return {
      jobs: execs.map((exec) => exec.job),
      signal,
      // A batch line belongs to every job in it: each attempt's history shows it.
      log: (message: string) => {
        const entry = { at: new Date(), message: String(message) };
        for (const list of logs) list.push(entry);
      },
      enqueue: (definition, payload, options) => this.hooks.enqueue(definition, payload, options),
    };
  }


}

function isSerializable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
