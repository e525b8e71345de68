import { toMs, type Duration } from '../duration.js';
import { ConfigError } from '../errors.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy, type RetryPolicy } from '../retry.js';
import type { JobRecord } from '../store/contract.js';
import type { EnqueueOptions, EnqueueResult } from './enqueue-options.js';

/**
 * Any schema with zod's `safeParse` shape (zod 3 and 4 both fit), so core does not pin a zod version.
 */
export interface PayloadSchema<T> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** What a handler gets besides its payload. */
export interface JobContext<P = unknown> {
  /** The job as claimed (state `active`). */
  job: JobRecord & { payload: P };
  /** 1-based attempt number. */
  attempt: number;
  /** Aborted on timeout, cancel, lease loss and shutdown; `signal.reason` says which. */
  signal: AbortSignal;
  /** A line stored with this attempt's history. */
  log(message: string): void;
  /** Report progress, 0..100. */
  progress(percent: number): Promise<void>;
  /** Enqueue another job (same store). */
  enqueue<Q>(job: JobDefinition<Q, any> | string, payload: Q, options?: EnqueueOptions): Promise<EnqueueResult>;
}

export type JobHandler<P, R> = (payload: P, ctx: JobContext<P>) => R | Promise<R>;

/** What a batch handler gets besides its payloads: one context for the whole batch. */
export interface BatchContext<P = unknown> extends Omit<JobContext<P>, 'job' | 'attempt' | 'progress'> {
  /** The claimed jobs, in the same order as the payloads. */
  jobs: (JobRecord & { payload: P })[];
}

/**
 * A batch handler gets up to `batch.size` payloads. Return nothing (all succeed) or an array in
 * the same order: an `Error` at an index fails that item alone (its retry policy applies), any
 * other value is that item's result. Throwing fails every item.
 */
// The return is `unknown` to TypeScript so plain handlers never get a batch return type by inference; it is checked at run time.
export type BatchHandler<P, R = unknown> = (payloads: P[], ctx: BatchContext<P>) => unknown;

/** Circuit breaker: after `failures` failed attempts within `within`, pause the job type for `cooldown`. */
export interface CircuitBreakerOptions {
  failures: number;
  within: Duration;
  cooldown: Duration;
}

/** Everything `defineJob` accepts. Only `name` is required; a definition without a handler can still be enqueued. */
export interface JobOptions<P, R> {
  /** Unique job type name, e.g. `'email.send'`. */
  name: string;
  /** Validates payloads at enqueue and again before the handler runs. */
  schema?: PayloadSchema<P>;
  handler?: JobHandler<P, R>;
  /** Queue name; default `'default'`. */
  queue?: string;
  /** Higher runs first; default 0. */
  priority?: number;
  /** A number is the attempts count. Default: 3 attempts, exponential backoff from 1s. */
  retry?: RetryPolicy | number;
  /** Abort the handler and fail the attempt (retryably) after this long. */
  timeout?: Duration;
  /** Derive an idempotency key from the payload; `window` keeps it after completion. */
  unique?: { key: (payload: P) => string; window?: Duration };
  /** Group key (tenant by default) and how many jobs of one group may run at once across all processes. */
  group?: { key?: (payload: P) => string | null | undefined; concurrency?: number };
  /** Max jobs of this type running at once across all processes. */
  concurrency?: number;
  /** At most `max` starts per `per`, across all processes; per group when `byGroup`. */
  rateLimit?: { max: number; per: Duration; byGroup?: boolean };
  /** Pause this job type for every process after repeated failures; one probe job closes it again. */
  circuitBreaker?: CircuitBreakerOptions;
  /** See {@link BatchJobOptions}. */
  batch?: undefined;
}

/** `defineJob` options for a batch job: the handler takes up to `batch.size` payloads at once. */
export interface BatchJobOptions<P, R> extends Omit<JobOptions<P, R>, 'handler' | 'batch'> {
  /** Hand the handler up to `size` jobs at once, waiting up to `wait` (default 0) for a batch to fill. */
  batch: { size: number; wait?: Duration };
  handler: BatchHandler<P, R>;
}

/** A job type as core uses it: the options with durations and policies resolved. */
export interface JobDefinition<P = unknown, R = unknown> {
  readonly kind: 'job';
  readonly name: string;
  readonly queue: string;
  readonly priority: number;
  readonly schema: PayloadSchema<P> | undefined;
  readonly handler: JobHandler<P, R> | undefined;
  readonly retry: ResolvedRetryPolicy;
  readonly timeoutMs: number | null;
  readonly unique: { key: (payload: P) => string; windowMs: number | null } | null;
  readonly group: { key?: (payload: P) => string | null | undefined; concurrency?: number } | null;
  readonly concurrency: number | null;
  readonly rateLimit: { max: number; perMs: number; byGroup: boolean } | null;
  readonly circuitBreaker: { failures: number; withinMs: number; cooldownMs: number } | null;
  /** Set for batch jobs; `handler` is then unset and `batchHandler` runs. */
  readonly batch: { size: number; waitMs: number } | null;
  readonly batchHandler: BatchHandler<P, R> | undefined;
  /** Phantom fields so `enqueue(job, payload)` infers payload and result types. */
  readonly __payload?: P;
  readonly __result?: R;
}

/** True when a definition has something to run (a handler or a batch handler). */
export function isRunnable(definition: JobDefinition<any, any>): boolean {
  return definition.handler !== undefined || definition.batchHandler !== undefined;
}

export type PayloadOf<J> = J extends JobDefinition<infer P, any> ? P : never;

const NAME = /^[A-Za-z0-9_.:\-/]{1,200}$/;

function positiveInt(value: number | undefined, what: string): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${what} must be an integer >= 1, got ${value}`);
  return value;
}

/**
 * Define a typed job. Plain data: no I/O happens until it is registered with `createMainspring`.
 *
 * @example
 * const sendEmail = defineJob({
 *   name: 'email.send',
 *   schema: z.object({ to: z.string().email(), template: z.string() }),
 *   retry: { attempts: 3, backoff: { type: 'exponential', delay: '2s', max: '5m' } },
 *   timeout: '30s',
 *   async handler({ to, template }, ctx) { ctx.log(`sending ${template} to ${to}`); },
 * });
 */
export function defineJob<P = unknown, R = unknown>(options: BatchJobOptions<P, R>): JobDefinition<P, R>;
export function defineJob<P = unknown, R = unknown>(options: JobOptions<P, R>): JobDefinition<P, R>;
export function defineJob<P = unknown, R = unknown>(input: JobOptions<P, R> | BatchJobOptions<P, R>): JobDefinition<P, R> {
  const isBatch = 'batch' in input && input.batch !== undefined;
  const options = input as JobOptions<P, R>;
  const { name } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ConfigError(`Job name must be 1-200 characters of letters, digits and _ . : - /, got ${JSON.stringify(name)}`);
  }
  if (options.handler !== undefined && typeof options.handler !== 'function') {
    throw new ConfigError(`Job "${name}": handler must be a function`);
  }
  const queue = options.queue ?? 'default';
  if (!NAME.test(queue)) throw new ConfigError(`Job "${name}": invalid queue name ${JSON.stringify(queue)}`);
  const priority = options.priority ?? 0;
  if (!Number.isInteger(priority)) throw new ConfigError(`Job "${name}": priority must be an integer`);
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw error instanceof ConfigError ? error : new ConfigError((error as Error).message);
    }
  };
  const rate = options.rateLimit;
  if (rate && (!Number.isInteger(rate.max) || rate.max < 1)) {
    throw new ConfigError(`Job "${name}": rateLimit.max must be an integer >= 1`);
  }
  const breaker = options.circuitBreaker;
  let batch: JobDefinition['batch'] = null;
  if (isBatch) {
    const { size, wait } = (input as BatchJobOptions<P, R>).batch;
    batch = { size: positiveInt(size, `Job "${name}": batch.size`)!, waitMs: wait === undefined ? 0 : wrap(() => toMs(wait, `job "${name}" batch.wait`)) };
  }
  return Object.freeze({
    kind: 'job' as const,
    name,
    queue,
    priority,
    schema: options.schema,
    handler: isBatch ? undefined : options.handler,
    batch,
    batchHandler: isBatch ? (input as BatchJobOptions<P, R>).handler : undefined,
    circuitBreaker: breaker
      ? {
          failures: positiveInt(breaker.failures, `Job "${name}": circuitBreaker.failures`)!,
          withinMs: wrap(() => toMs(breaker.within, `job "${name}" circuitBreaker.within`)),
          cooldownMs: wrap(() => toMs(breaker.cooldown, `job "${name}" circuitBreaker.cooldown`)),
        }
      : null,
    retry: wrap(() => resolveRetryPolicy(options.retry, name)),
    timeoutMs: options.timeout === undefined ? null : wrap(() => toMs(options.timeout!, `job "${name}" timeout`)),
    unique: options.unique
      ? {
          key: options.unique.key,
          windowMs: options.unique.window === undefined ? null : wrap(() => toMs(options.unique!.window!, `job "${name}" unique.window`)),
        }
      : null,
    group: options.group
      ? { key: options.group.key, concurrency: positiveInt(options.group.concurrency, `Job "${name}": group.concurrency`) ?? undefined }
      : null,
    concurrency: positiveInt(options.concurrency, `Job "${name}": concurrency`),
    rateLimit: rate ? { max: rate.max, perMs: wrap(() => toMs(rate.per, `job "${name}" rateLimit.per`)), byGroup: rate.byGroup ?? false } : null,
  });
}
