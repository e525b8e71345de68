import type { JobRecord, WakeEvent } from './store/contract.js';

/** Events a Mainspring instance emits; `ms.on(name, fn)` is typed by this map. */
export interface MainspringEvents {
  /** A job was inserted (not emitted for deduplicated enqueues). */
  'job:enqueued': (event: { job: JobRecord }) => void;
  'job:started': (event: { job: JobRecord; attempt: number; workerId: string }) => void;
  'job:completed': (event: { job: JobRecord; result: unknown; durationMs: number }) => void;
  /** The attempt failed and another is scheduled. */
  'job:retrying': (event: { job: JobRecord; error: Error; attempt: number; delayMs: number }) => void;
  /** The job failed for good (attempts used up or a non-retryable error). */
  'job:failed': (event: { job: JobRecord; error: Error; attempt: number }) => void;
  /** A lease expired (its worker died or hung) and the job was rescued. */
  'job:stalled': (event: { job: JobRecord }) => void;
  /** A schedule fired and enqueued its job (once per fire time across all processes). */
  'schedule:fired': (event: { schedule: string; fireTime: Date; jobId: string; backfill: boolean }) => void;
  /** A job type's circuit breaker opened: claims skip it in every process until `until`. */
  'breaker:open': (event: { name: string; failures: number; until: Date }) => void;
  /** A probe succeeded after the cooldown: the job type runs normally again. */
  'breaker:close': (event: { name: string }) => void;
  /** The store woke workers (new runnable jobs). */
  'store:wake': (event: WakeEvent) => void;
  /** Something went wrong outside a handler (store outage, lost lease); the runner carries on. */
  error: (error: Error) => void;
}
