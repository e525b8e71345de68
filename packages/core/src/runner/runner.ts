import pRetry from 'p-retry';
import type { JobContext, JobDefinition } from '../define/job.js';
import type { EnqueueOptions, EnqueueResult } from '../define/enqueue-options.js';
import type { Logger } from '../logger.js';
import type { ClaimLimits, JobRecord, Store } from '../store/contract.js';
import { asError, createExecution, errorInfo, execute, JobAbortedError, type AbortCause, type Execution, type Outcome } from './execute.js';
import { Settler } from './settler.js';
import type { RunnerHooks } from './hooks.js';

export interface RunnerOptions {
  workerId: string;
  concurrency: number;
  queues?: string[];
  leaseMs: number;
  pollIntervalMs: number;
  heartbeatMs: number;
  limits?: ClaimLimits;
}

/**
 * The claim loop: claims batches up to free concurrency (one store call per batch), runs handlers,
 * keeps leases alive with heartbeats and settles outcomes in batches. Holds no state a crash would
 * lose: everything that matters is in the store, and an unsettled job simply runs again.
 */
export class Runner {
  readonly active = new Map<string, Execution>();
  private readonly settler: Settler;
  private readonly names: string[];
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private wakeRequested = false;
  private wakeWaiter: (() => void) | null = null;
  private slotWaiter: (() => void) | null = null;
  private readonly stopController = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly definitions: Map<string, JobDefinition<any, any>>,
    private readonly options: RunnerOptions,
    private readonly hooks: RunnerHooks,
    private readonly logger: Logger,
  ) {
    this.names = [...definitions.values()].filter((d) => d.handler).map((d) => d.name);
    this.settler = new Settler(store, options.workerId, (error) => hooks.error(asError(error)));
  }

  get workerId(): string {
    return this.options.workerId;
  }

  start(): void {
    if (this.names.length === 0) {
      this.logger.warn('start() called but no registered job has a handler; this process will not claim jobs');
    }
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref?.();
    this.loopDone = this.loop();
  }

  /** New runnable jobs may exist: skip the rest of the poll wait. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeWaiter?.();
  }

  /** Abort a job running in this process (cancel from the same process needs no heartbeat to notice). */
  abortLocal(id: string, cause: AbortCause): void {
    this.active.get(id)?.controller.abort(new JobAbortedError(cause));
  }

  /**
   * Stop claiming, let active jobs finish for up to `timeoutMs`, then abort the rest and hand
   * their leases back so another worker picks them up at once.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.stopController.abort();
    this.wakeWaiter?.();
    this.slotWaiter?.();
    await this.loopDone;
    if (this.running.size) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    const leftover = [...this.active.values()].filter((exec) => !exec.settling);
    for (const exec of leftover) exec.controller.abort(new JobAbortedError('shutdown'));
    if (leftover.length) {
      try {
        await this.store.release({ workerId: this.workerId, ids: leftover.map((exec) => exec.job.id) });
      } catch (error) {
        // The leases will expire instead and the jobs run again then.
        this.hooks.error(asError(error));
      }
    }
    await Promise.allSettled([...this.running]);
    this.settler.giveUp();
    await this.settler.flush();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
  }

  /**
   * Test mode: claim and run every due job inline until nothing is due (or `maxJobs` ran).
   * `beforeClaim` lets callers make more jobs due (e.g. promote delayed retries) between rounds.
   */
  async drain(maxJobs: number, beforeClaim?: () => Promise<void>): Promise<number> {
    let ran = 0;
    while (ran < maxJobs) {
      await beforeClaim?.();
      const { workerId, leaseMs, queues, limits, concurrency } = this.options;
      const limit = Math.min(concurrency, maxJobs - ran);
      const jobs = await this.store.claim({ workerId, names: this.names, queues, limit, leaseMs, limits });
      if (!jobs.length) break;
      for (const job of jobs) this.run(job);
      await Promise.allSettled([...this.running]);
      await this.settler.flush();
      ran += jobs.length;
    }
    return ran;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const free = this.options.concurrency - this.active.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.slotWaiter = resolve));
        this.slotWaiter = null;
        continue;
      }
      this.wakeRequested = false;
      let jobs: JobRecord[];
      try {
        jobs = await this.claim(free);
      } catch {
        break; // only when stopping: claim retries store errors until then
      }
      for (const job of jobs) this.run(job);
      if (jobs.length < free && !this.wakeRequested && !this.stopping) await this.waitForWork();
    }
  }

  /** Claim with backoff on store errors: the runner never crashes on an outage, it reports and waits. */
  private claim(limit: number): Promise<JobRecord[]> {
    const { workerId, leaseMs, queues, limits } = this.options;
    return pRetry(() => this.store.claim({ workerId, names: this.names, queues, limit, leaseMs, limits }), {
      forever: true,
      minTimeout: 100,
      maxTimeout: 5_000,
      factor: 2,
      randomize: true,
      signal: this.stopController.signal,
      onFailedAttempt: (error) => this.hooks.error(asError(error)),
    });
  }

  private waitForWork(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeWaiter = () => {
        this.wakeWaiter = null;
        done();
      };
    });
  }

  private run(job: JobRecord): void {
    const definition = this.definitions.get(job.name)!;
    const exec = createExecution(job, definition);
    this.active.set(job.id, exec);
    this.hooks.started(exec);
    const task = execute(exec, (e) => this.context(e))
      .then((outcome) => this.settle(exec, outcome))
      .catch((error) => this.hooks.error(asError(error)))
      .finally(() => {
        this.active.delete(job.id);
        this.running.delete(task);
        this.slotWaiter?.();
      });
    this.running.add(task);
  }

  private async settle(exec: Execution, outcome: Outcome): Promise<void> {
    exec.settling = true;
    const { job, logs } = exec;
    if (outcome.kind === 'abandoned') {
      if (outcome.cause === 'lease-lost') this.logger.warn(`Lost the lease of job ${job.id} (${job.name}); it will run again elsewhere`);
      return;
    }
    if (outcome.kind === 'completed' && !isSerializable(outcome.result)) {
      outcome = { kind: 'failed', error: new TypeError(`Job "${job.name}" returned a value that cannot be stored as JSON`), retryDelayMs: null };
    }
    if (outcome.kind === 'completed') {
      const verdict = await this.settler.complete({ id: job.id, attempt: job.attempts, result: outcome.result, logs });
      if (verdict === 'settled') this.hooks.completed(exec, outcome.result);
      return;
    }
    const verdict = await this.settler.fail({
      id: job.id,
      attempt: job.attempts,
      error: errorInfo(outcome.error),
      retryDelayMs: outcome.retryDelayMs,
      logs,
    });
    if (verdict === 'settled') this.hooks.failed(exec, outcome.error, outcome.retryDelayMs);
  }

  /** Extend leases of running jobs; abort those the store says we no longer hold. */
  private async heartbeat(): Promise<void> {
    const ids = [...this.active.values()].filter((exec) => !exec.settling).map((exec) => exec.job.id);
    if (!ids.length) return;
    try {
      const { lost } = await this.store.extendLeases({ workerId: this.workerId, ids, leaseMs: this.options.leaseMs });
      for (const id of lost) {
        const exec = this.active.get(id);
        if (exec && !exec.settling) exec.controller.abort(new JobAbortedError('lease-lost'));
      }
    } catch (error) {
      this.hooks.error(asError(error));
    }
  }

  private context(exec: Execution): JobContext<any> {
    const { job } = exec;
    return {
      job,
      attempt: job.attempts,
      signal: exec.controller.signal,
      log: (message: string) => {
        exec.logs.push({ at: new Date(), message: String(message) });
      },
      progress: async (percent: number) => {
        const value = Math.max(0, Math.min(100, Number(percent) || 0));
        job.progress = value;
        await this.store.setProgress({ id: job.id, workerId: this.workerId, progress: value });
      },
      enqueue: (definition: JobDefinition<any, any> | string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult> =>
        this.hooks.enqueue(definition, payload, options),
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
