import type { JobContext, JobDefinition } from '../define/job.js';
import { NonRetryableError, TimeoutError, ValidationError } from '../errors.js';
import { retryDelay } from '../retry.js';
import type { ErrorInfo, JobRecord, LogEntry } from '../store/contract.js';
import { validatePayload } from '../define/validate.js';

/** Why a running handler's signal was aborted by the runner. */
export type AbortCause = 'timeout' | 'lease-lost' | 'cancelled' | 'shutdown';

/** Reason placed on `ctx.signal` when the runner aborts a handler for anything but a timeout. */
export class JobAbortedError extends Error {
  constructor(readonly cause: AbortCause) {
    super(`Job aborted: ${cause}`);
    this.name = 'JobAbortedError';
  }
}

/**
 * One attempt in flight. The AbortController is made only when the handler reads `ctx.signal`:
 * most handlers never do, and this object is created for every job on the hot path.
 */
export class Execution {
  readonly logs: LogEntry[] = [];
  readonly startedAt = Date.now();
  /** Set once the outcome is handed to the settler, so heartbeats stop counting it. */
  settling = false;
  /** Why the runner aborted this attempt, once it has. */
  abortReason: unknown = undefined;
  private controller: AbortController | null = null;
  private interrupt: ((reason: unknown) => void) | null = null;
  /** Links of the runner's ActiveList (see active-list.ts). */
  listed = false;
  prev: Execution | null = null;
  next: Execution | null = null;

  constructor(
    readonly job: JobRecord,
    readonly definition: JobDefinition<any, any>,
  ) {}

  get aborted(): boolean {
    return this.abortReason !== undefined;
  }

  /** The signal handed to the handler; aborted at once if the attempt already was. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Abort the attempt: fires the handler's signal and stops waiting for the handler. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.interrupt?.(reason);
  }

  /** Calls `listener` (once) when the attempt is aborted; null removes it. */
  onAbort(listener: ((reason: unknown) => void) | null): void {
    this.interrupt = listener;
  }

  /** Waits for `work`, or rejects with the abort reason as soon as the attempt is aborted. */
  race<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.aborted) return reject(this.abortReason);
      this.interrupt = reject;
      try {
        const result = work();
        if (typeof (result as PromiseLike<T> | null)?.then === 'function') (result as PromiseLike<T>).then(resolve, reject);
        else resolve(result as T);
      } catch (error) {
        reject(error);
      }
    });
  }
}

export type Outcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'failed'; error: Error; retryDelayMs: number | null }
  /** Lease lost, cancelled or shutting down: nothing to settle (the store already moved on, or release() will). */
  | { kind: 'abandoned'; cause: AbortCause };

/** Turns anything thrown into an Error, so hand-thrown strings still get a message and a stack. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${safeJson(thrown)}`);
}

export function errorInfo(error: Error): ErrorInfo {
  return { name: error.name, message: error.message, stack: error.stack ?? null };
}

/** Aborts `execs` with a TimeoutError after the job's timeout; returns the timer to clear. */
export function armTimeout(execs: Execution[], timeoutMs: number | null): ReturnType<typeof setTimeout> | undefined {
  if (timeoutMs === null) return undefined;
  return setTimeout(() => {
    const error = new TimeoutError(timeoutMs);
    for (const exec of execs) exec.abort(error);
  }, timeoutMs);
}

/**
 * Runs one attempt: validate the stored payload, call the handler under a timeout, and hand the
 * outcome to `done`, exactly once. Never throws: every failure becomes an outcome so a bad job
 * cannot crash the worker. A handler that ignores its signal still times out: `done` gets the abort
 * at once and the handler's late result is dropped. `done` may run before this returns (a handler
 * that is not async). Callbacks rather than promises because this runs for every job: an async
 * frame, a race promise and their resolvers per job were most of the runner's garbage.
 */
export function execute(exec: Execution, context: JobContext<any>, done: (exec: Execution, outcome: Outcome) => void): void {
  const { job, definition } = exec;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  const finish = (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    exec.onAbort(null);
    done(exec, outcome);
  };
  const settled = (value: unknown) =>
    finish(exec.aborted ? outcomeOfAbort(exec, exec.abortReason) : { kind: 'completed', result: value === undefined ? null : value });
  const threw = (thrown: unknown) => finish(exec.aborted ? outcomeOfAbort(exec, exec.abortReason) : failure(exec, asError(thrown)));
  try {
    const payload = validatePayload(definition, job.payload);
    if (exec.aborted) return finish(outcomeOfAbort(exec, exec.abortReason));
    timer = armTimeout([exec], definition.timeoutMs);
    exec.onAbort((reason) => finish(outcomeOfAbort(exec, reason)));
    const result = definition.handler!(payload, context);
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') (result as PromiseLike<unknown>).then(settled, threw);
    else settled(result);
  } catch (thrown) {
    threw(thrown);
  }
}

export function outcomeOfAbort(exec: Execution, reason: unknown): Outcome {
  if (reason instanceof JobAbortedError) return { kind: 'abandoned', cause: reason.cause };
  return failure(exec, asError(reason));
}

/** A failed attempt: retry later per the job's policy, or fail for good. */
export function failure(exec: Execution, error: Error): Outcome {
  const { job, definition } = exec;
  const final = error instanceof NonRetryableError || error instanceof ValidationError || job.attempts >= job.maxAttempts;
  return { kind: 'failed', error, retryDelayMs: final ? null : retryDelay(definition.retry.backoff, job.attempts, error) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
