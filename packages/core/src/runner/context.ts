import type { EnqueueOptions, EnqueueResult } from '../define/enqueue-options.js';
import type { JobContext, JobDefinition } from '../define/job.js';
import type { JobRecord, Store } from '../store/contract.js';
import type { Execution } from './execute.js';
import type { RunnerHooks } from './hooks.js';

/** What every context of one runner shares. */
export interface ContextDeps {
  store: Store;
  workerId: string;
  hooks: RunnerHooks;
}

/**
 * The `ctx` a handler gets. A class rather than an object of closures because one is made for
 * every job: its methods live on the prototype and the signal is created only if read.
 */
export class RunnerJobContext implements JobContext<any> {
  constructor(
    private readonly exec: Execution,
    private readonly deps: ContextDeps,
  ) {}

  get job(): JobRecord {
    return this.exec.job;
  }

  get attempt(): number {
    return this.exec.job.attempts;
  }

  get signal(): AbortSignal {
    return this.exec.signal;
  }

  log(message: string): void {
    this.exec.logs.push({ at: new Date(), message: String(message) });
  }

  async progress(percent: number): Promise<void> {
    const value = Math.max(0, Math.min(100, Number(percent) || 0));
    this.exec.job.progress = value;
    await this.deps.store.setProgress({ id: this.exec.job.id, workerId: this.deps.workerId, progress: value });
  }

  enqueue<Q>(definition: JobDefinition<Q, any> | string, payload: Q, options?: EnqueueOptions): Promise<EnqueueResult> {
    return this.deps.hooks.enqueue(definition, payload, options);
  }
}
