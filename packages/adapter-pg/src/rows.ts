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

/**
 * One claimed job as claimedBatch sends it: id, name, queue, payload, attempts, max_attempts,
 * priority, run_at (epoch ms), created_at (epoch ms), key, tenant, meta.
 */
type ClaimedRow = [string, string, string, any, number, number, number, number, number, string | null, string | null, any];

/**
 * Claim order: priority high to low, then run time, then id (ids are decimal text: shorter is
 * smaller). Run times arrive in whole milliseconds, so jobs due within the same millisecond start in
 * id order; which jobs a claim takes is still decided by the statement, to the microsecond.
 */
function claimOrder(a: ClaimedRow, b: ClaimedRow): number {
  return b[6] - a[6] || a[7] - b[7] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** A claim's answer (see claimedBatch) as its rows, in claim order. */
function claimedRows(rows: any[]): ClaimedRow[] {
  const row = rows[0];
  if (!row) return [];
  // node-postgres parses json; PGlite too, but a string is accepted in case a driver does not.
  const list: ClaimedRow[] = typeof row.jobs === 'string' ? JSON.parse(row.jobs) : row.jobs;
  // Rows come back in table order, which for a plain FIFO backlog is usually claim order already.
  for (let i = 1; i < list.length; i++) {
    if (claimOrder(list[i - 1], list[i]) > 0) return list.sort(claimOrder);
  }
  return list;
}

/** The jobs of a claim's answer (see claimedBatch), in claim order, as `workerId` just claimed them. */
export function toClaimedJobs(rows: any[], workerId: string): JobRecord[] {
  const list = claimedRows(rows);
  if (list.length === 0) return [];
  const startedAt = Number(rows[0].started_at);
  const lockedUntil = Number(rows[0].locked_until);
  return list.map((j) => ({
    id: j[0],
    name: j[1],
    queue: j[2],
    state: 'active',
    payload: j[3] ?? null,
    result: null,
    error: null,
    attempts: j[4],
    maxAttempts: j[5],
    priority: j[6],
    runAt: new Date(j[7]),
    createdAt: new Date(j[8]),
    startedAt: new Date(startedAt),
    finishedAt: null,
    key: j[9] ?? null,
    tenant: j[10] ?? null,
    progress: null,
    workerId,
    lockedUntil: new Date(lockedUntil),
    meta: j[11] ?? null,
  }));
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
