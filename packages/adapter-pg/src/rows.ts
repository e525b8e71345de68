import type { AttemptRecord, CatchUpPolicy, JobRecord, JobState, PauseRecord, ScheduleRecord } from '@mainspring/core';

// Row shapes as both drivers return them: timestamptz as Date, jsonb parsed, ids cast to text.

export function toJob(r: any): JobRecord {
  return {
    id: String(r.id),
    name: r.name,
    queue: r.queue,
    state: r.state as JobState,
    payload: r.payload ?? null,
    result: r.result ?? null,
    error: r.error ?? null,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    priority: Number(r.priority),
    runAt: toDate(r.run_at)!,
    createdAt: toDate(r.created_at)!,
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
    key: r.key ?? null,
    tenant: r.tenant ?? null,
    progress: r.progress == null ? null : Number(r.progress),
    workerId: r.worker_id ?? null,
    lockedUntil: toDate(r.locked_until),
    meta: r.meta ?? null,
  };
}

/** A row of claimedColumns: the job as `workerId` just claimed it. */
export function toClaimedJob(r: any, workerId: string): JobRecord {
  return {
    id: r.id,
    name: r.name,
    queue: r.queue,
    state: 'active',
    payload: r.payload ?? null,
    result: null,
    error: null,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    priority: r.priority,
    runAt: new Date(r.run_at),
    createdAt: new Date(r.created_at),
    startedAt: new Date(r.started_at),
    finishedAt: null,
    key: r.key ?? null,
    tenant: r.tenant ?? null,
    progress: null,
    workerId,
    lockedUntil: new Date(r.locked_until),
    meta: r.meta ?? null,
  };
}

/** Job timestamps arrive as epoch ms (see jobColumns); other rows may still carry Dates. */
function toDate(value: number | string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(Number(value));
}

export function toAttempt(r: any): AttemptRecord {
  const logs = Array.isArray(r.logs) ? r.logs : [];
  return {
    jobId: String(r.job_id),
    attempt: Number(r.attempt),
    workerId: r.worker_id ?? null,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? null,
    outcome: r.outcome,
    error: r.error ?? null,
    logs: logs.map((l: { at: string; message: string }) => ({ at: new Date(l.at), message: l.message })),
  };
}

export function toSchedule(r: any): ScheduleRecord {
  return {
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    job: r.job,
    payload: r.payload ?? null,
    catchUp: r.catch_up as CatchUpPolicy,
    tenant: r.tenant ?? null,
    enabled: r.enabled,
    source: r.source,
    nextFireAt: r.next_fire_at ?? null,
    lastFireAt: r.last_fire_at ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toPause(r: any): PauseRecord {
  return { scope: r.scope, target: r.target, until: r.until ?? null, reason: r.reason ?? null };
}
