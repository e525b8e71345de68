import type { EnqueueOptions, EnqueueResult } from '../define/enqueue-options.js';
import type { JobDefinition } from '../define/job.js';
import type { Execution } from './execute.js';

/** How the runner reports back to the facade (events, logging, enqueue from handlers) without knowing it. */
export interface RunnerHooks {
  started(exec: Execution): void;
  completed(exec: Execution, result: unknown): void;
  /** `retryDelayMs` null: failed for good. */
  failed(exec: Execution, error: Error, retryDelayMs: number | null): void;
  error(error: Error): void;
  /** Called once, the first time a claim finds nothing while nothing is in flight here: the worker is idle. */
  idle(): void;
  enqueue(definition: JobDefinition<any, any> | string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
}
