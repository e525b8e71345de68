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

/** One attempt in flight. */
export interface Execution {
  job: JobRecord;
  definition: JobDefinition<any, any>;
  controller: AbortController;
  logs: LogEntry[];
  startedAt: number;
  /** Set once the outcome is handed to the settler, so heartbeats stop counting it. */
  settling: boolean;
}

export type Outcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'failed'; error: Error; retryDelayMs: number | null }
  /** Lease lost, cancelled or shutting down: nothing to settle (the store already moved on, or release() will). */
  | { kind: 'abandoned'; cause: AbortCause };

export function createExecution(job: JobRecord, definition: JobDefinition<any, any>): Execution {
  return { job, definition, controller: new AbortController(), logs: [], startedAt: Date.now(), settling: false };
}

/** Turns anything thrown into an Error, so hand-thrown strings still get a message and a stack. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${safeJson(thrown)}`);
}

export function errorInfo(error: Error): ErrorInfo {
  return { name: error.name, message: error.message, stack: error.stack ?? null };
}

/**
 * Runs one attempt: validate the stored payload, call the handler under a timeout, and decide the
 * outcome. Never throws: every failure becomes an outcome so a bad job cannot crash the worker.
 */
export async function execute(exec: Execution, makeContext: (exec: Execution) => JobContext<any>): Promise<Outcome> {
  const { job, definition, controller } = exec;
  const signal = controller.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const payload = validatePayload(definition, job.payload);
    if (definition.timeoutMs !== null) {
      timer = setTimeout(() => controller.abort(new TimeoutError(definition.timeoutMs!)), definition.timeoutMs);
    }
    // Racing the abort lets a handler that ignores its signal still time out; its late result is dropped.
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    aborted.catch(() => {});
    const result = await Promise.race([Promise.resolve().then(() => definition.handler!(payload, makeContext(exec))), aborted]);
    if (signal.aborted) return outcomeOfAbort(exec, signal.reason);
    return { kind: 'completed', result: result === undefined ? null : result };
  } catch (thrown) {
    if (signal.aborted) return outcomeOfAbort(exec, signal.reason);
    return failure(exec, asError(thrown));
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function outcomeOfAbort(exec: Execution, reason: unknown): Outcome {
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
