import type { Duration } from '../duration.js';
import type { JobRecord, JobState } from '../store/contract.js';

/** Per-enqueue options; each overrides the job definition's default. */
export interface EnqueueOptions {
  /** Run at this instant (Date, epoch ms or ISO string). */
  runAt?: Date | number | string;
  /** Run after this long, measured on the store's clock. */
  delay?: Duration;
  priority?: number;
  /** Idempotency key: at most one live job per (job name, key). */
  key?: string;
  /** Tenant or any group key; group concurrency and rate limits apply per value. */
  tenant?: string;
  /** Total attempts allowed, overriding the job's retry policy. */
  attempts?: number;
  queue?: string;
  /** Free-form markers stored with the job. */
  meta?: Record<string, unknown>;
  /** Stores with transactions: insert inside the caller's transaction (e.g. a `pg` client after BEGIN). */
  tx?: unknown;
}

export interface EnqueueResult {
  id: string;
  state: JobState;
  /** True when a live job with the same key already existed and is returned instead. */
  deduplicated: boolean;
  job: JobRecord;
}
