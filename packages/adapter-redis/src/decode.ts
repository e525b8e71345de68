import type { AttemptRecord, ErrorInfo, JobRecord, JobState, LogEntry, ScheduleRecord } from '@mainspring/core';

/** A flat HGETALL reply ([field, value, field, value, ...]) as an object. */
export function pairs(reply: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[reply[i]] = reply[i + 1];
  return out;
}

const date = (v: string | undefined): Date | null => (v === undefined || v === '' ? null : new Date(Number(v)));
const json = (v: string | undefined): unknown => (v === undefined || v === '' ? null : JSON.parse(v));

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
    progress: h.progress === undefined ? null : Number(h.progress),
    workerId: h.workerId ?? null,
    lockedUntil: date(h.lockedUntil),
    meta: json(h.meta) as Record<string, unknown> | null,
  };
}

export function jobFromReply(reply: string[]): JobRecord | null {
  return reply.length === 0 ? null : toJob(pairs(reply));
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
  const error: ErrorInfo | null = a.error
    ? { name: String(a.error.name ?? 'Error'), message: String(a.error.message ?? ''), stack: a.error.stack ?? null }
    : null;
  const logs: LogEntry[] = Array.isArray(a.logs) ? a.logs.map((l) => ({ at: new Date(l.at), message: l.message })) : [];
  return {
    jobId,
    attempt: a.attempt,
    workerId: a.workerId ?? null,
    startedAt: new Date(a.startedAt),
    finishedAt: a.finishedAt == null ? null : new Date(a.finishedAt),
    outcome: a.outcome,
    error,
    logs,
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
