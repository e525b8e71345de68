import type { EnqueueResult } from '../define/enqueue-options.js';
import type { JobContext, JobDefinition } from '../define/job.js';
import { validatePayload } from '../define/validate.js';
import { ConfigError } from '../errors.js';
import type { JobRecord } from '../store/contract.js';

export interface PerformResult<R> {
  result: R;
  logs: string[];
  progress: number[];
  /** What the handler enqueued through `ctx.enqueue` (not stored anywhere). */
  enqueued: { job: string; payload: unknown }[];
}

/**
 * Run one job's handler directly, without a store: the payload is validated as a worker would,
 * `ctx.log`, `ctx.progress` and `ctx.enqueue` are recorded. Errors thrown by the handler propagate.
 *
 * @example
 * const { result, logs } = await performJob(sendEmail, { to: 'ada@example.com', template: 'welcome' });
 */
export async function performJob<P, R>(
  job: JobDefinition<P, R>,
  payload: P,
  options: { attempt?: number; signal?: AbortSignal; tenant?: string } = {},
): Promise<PerformResult<Awaited<R>>> {
  if (!job.handler) throw new ConfigError(`performJob: job "${job.name}" has no single-job handler`);
  const data = validatePayload(job, payload);
  const record: JobRecord & { payload: P } = {
    id: '0', name: job.name, queue: job.queue, state: 'active', payload: data, result: null, error: null,
    attempts: options.attempt ?? 1, maxAttempts: job.retry.attempts, priority: job.priority, runAt: new Date(),
    createdAt: new Date(), startedAt: new Date(), finishedAt: null, key: null, tenant: options.tenant ?? null,
    progress: null, workerId: 'performJob', lockedUntil: null, meta: null,
  };
  const out: Omit<PerformResult<Awaited<R>>, 'result'> = { logs: [], progress: [], enqueued: [] };
  let nextId = 1;
  const ctx: JobContext<P> = {
    job: record,
    attempt: record.attempts,
    signal: options.signal ?? new AbortController().signal,
    log: (message) => void out.logs.push(String(message)),
    progress: async (percent) => void out.progress.push(percent),
    enqueue: async (target, childPayload): Promise<EnqueueResult> => {
      const name = typeof target === 'string' ? target : target.name;
      out.enqueued.push({ job: name, payload: childPayload });
      const child = { ...record, id: `performJob:${nextId++}`, name, payload: childPayload, state: 'pending' as const, workerId: null };
      return { id: child.id, state: 'pending', deduplicated: false, job: child };
    },
  };
  const result = (await job.handler(data, ctx)) as Awaited<R>;
  return { result, ...out };
}
