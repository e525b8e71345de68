import type { AttemptRecord, ErrorInfo, JobRecord, JobState, LogEntry, ScheduleRecord } from '@mainspring/core';

/** A flat HGETALL reply ([field, value, field, value, ...]) as an object. */
export function pairs(reply: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[reply[i]] = reply[i + 1];
  return out;
}

const date = (v: string | undefined): Date | null => (v === undefined || v === '' ? null : new Date(Number(v)));
const json = (v: string | null | undefined): unknown => (v == null || v === '' ? null : JSON.parse(v));

/** A job hash (as stored by the scripts) as a JobRecord. */
export function toJob(h: Record<string, string>): JobRecord {
  return {
    id: h.id,
    name: h.name,
    queue: h.queue,
    state: h.state as JobState,
    payload: json(h.payload),
    result: json(h.result),
    error: h.error ?? null,
    attempts: Number(h.attempts),
    maxAttempts: Number(h.maxAttempts),
    priority: Number(h.priority),
    runAt: new Date(Number(h.runAt)),
    createdAt: new Date(Number(h.createdAt)),
    startedAt: date(h.startedAt),
    finishedAt: date(h.finishedAt),
    key: h.key ?? null,
    tenant: h.tenant ?? null,
    progress: h.progress === undefined || h.progress === '' ? null : Number(h.progress),
    // Left in the hash after the attempt ends (see lua/includes/lib.lua); they mean nothing then.
    workerId: h.state === 'active' ? h.workerId || null : null,
    lockedUntil: h.state === 'active' ? date(h.lockedUntil) : null,
    meta: json(h.meta) as Record<string, unknown> | null,
  };
}

/** The claim script's reply (see lua/claim.lua): shared values, the groups, then CLAIM_SLOTS per job. */
export type ClaimReply = [now: number, leaseUntil: number, groups: (string | null)[], jobs: (string | number | null)[]];
const CLAIM_SLOTS = 12;

/** Claimed jobs from the claim script's positional reply. */
export function claimedJobs(reply: ClaimReply, workerId: string): JobRecord[] {
  const [now, leaseUntil, groups, v] = reply;
  const jobs: JobRecord[] = new Array(v.length / CLAIM_SLOTS);
  for (let i = 0, k = 0; i < v.length; i += CLAIM_SLOTS, k++) {
    const g = (v[i] as number) * 3;
    jobs[k] = {
      id: v[i + 1] as string,
      name: groups[g + 1] as string,
      queue: groups[g] as string,
      state: 'active',
      payload: json(v[i + 7] as string | null),
      result: json(v[i + 11] as string | null),
      error: (v[i + 10] as string | null) ?? null,
      attempts: v[i + 4] as number,
      maxAttempts: Number(v[i + 5]),
      // The ready score is -priority; 0 - x keeps a priority of 0 from reading back as -0.
      priority: 0 - Number(v[i + 3]),
      runAt: new Date(v[i + 2] as number),
      createdAt: new Date(Number(v[i + 6])),
      startedAt: new Date(now),
      finishedAt: null,
      key: (v[i + 8] as string | null) ?? null,
      tenant: groups[g + 2] ?? null,
      progress: null,
      workerId,
      lockedUntil: new Date(leaseUntil),
      meta: json(v[i + 9] as string | null) as Record<string, unknown> | null,
    };
  }
  return jobs;
}

export function jobFromReply(reply: string[]): JobRecord | null {
  return reply.length === 0 ? null : toJob(pairs(reply));
}

/**
 * Job fields that describe its latest attempt: running (state active) or final (aOutcome set, or
 * state completed: a completed job's final attempt completed, and it writes no aOutcome).
 */
export const LATEST_ATTEMPT_FIELDS = ['state', 'attempts', 'workerId', 'startedAt', 'finishedAt', 'aOutcome', 'aWorker', 'aError', 'aLogs'] as const;

/** The running or final attempt kept in the job hash, from an HMGET of LATEST_ATTEMPT_FIELDS. */
export function latestAttempt(jobId: string, v: (string | null)[]): AttemptRecord | null {
  const [state, attempts, workerId, startedAt, finishedAt, aOutcome, aWorker, aError, aLogs] = v;
  if (state === 'active') {
    return { jobId, attempt: Number(attempts), workerId: workerId || null, startedAt: new Date(Number(startedAt)), finishedAt: null, outcome: 'running', error: null, logs: [] };
  }
  const outcome = aOutcome || (state === 'completed' ? 'completed' : null);
  if (!outcome) return null;
  return {
    jobId,
    attempt: Number(attempts),
    // Data written before workerId was kept after an attempt has the final worker in aWorker.
    workerId: aWorker || workerId || null,
    startedAt: new Date(Number(startedAt)),
    finishedAt: new Date(Number(finishedAt)),
    outcome: outcome as AttemptRecord['outcome'],
    error: toError(aError ? JSON.parse(aError) : null),
    logs: toLogs(aLogs ? JSON.parse(aLogs) : null),
  };
}

function toError(e: StoredAttempt['error']): ErrorInfo | null {
  return e ? { name: String(e.name ?? 'Error'), message: String(e.message ?? ''), stack: e.stack ?? null } : null;
}

function toLogs(logs: StoredAttempt['logs'] | null): LogEntry[] {
  return Array.isArray(logs) ? logs.map((l) => ({ at: new Date(l.at), message: l.message })) : [];
}

interface StoredAttempt {
  attempt: number;
  workerId?: string | null;
  startedAt: number;
  finishedAt?: number | null;
  outcome: AttemptRecord['outcome'];
  error?: { name?: string; message?: string; stack?: string | null } | null;
  // Lua's cjson writes an empty table as {} rather than [].
  logs?: Array<{ at: number; message: string }> | Record<string, never>;
}

/** One attempt as kept in the attempts list (JSON written by the scripts). */
export function toAttempt(jobId: string, raw: string): AttemptRecord {
  const a = JSON.parse(raw) as StoredAttempt;
  return {
    jobId,
    attempt: a.attempt,
    workerId: a.workerId ?? null,
    startedAt: new Date(a.startedAt),
    finishedAt: a.finishedAt == null ? null : new Date(a.finishedAt),
    outcome: a.outcome,
    error: toError(a.error),
    logs: toLogs(a.logs),
  };
}

/** A schedule hash as a ScheduleRecord. */
export function toSchedule(h: Record<string, string>): ScheduleRecord {
  return {
    name: h.name,
    cron: h.cron,
    timezone: h.timezone,
    job: h.job,
    payload: json(h.payload),
    catchUp: json(h.catchUp) as ScheduleRecord['catchUp'],
    tenant: h.tenant ?? null,
    enabled: h.enabled === '1',
    source: h.source as ScheduleRecord['source'],
    nextFireAt: date(h.nextFireAt),
    lastFireAt: date(h.lastFireAt),
    createdAt: new Date(Number(h.createdAt)),
    updatedAt: new Date(Number(h.updatedAt)),
  };
}
