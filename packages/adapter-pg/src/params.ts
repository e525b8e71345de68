import type { ClaimLimits, JobRecord, LogEntry, NewJob, SettleResult, WakeEvent } from '@mainspring/core';
import { ConfigError } from '@mainspring/core';
import type { Queryable } from './executor/types.js';
import { toJob } from './rows.js';

// Conversions between the Store contract's values and the parameters the SQL statements take.

/** Milliseconds as the integer the SQL casts to bigint; null/undefined stay null. */
export function int(ms: number | null | undefined): number | null {
  return ms == null ? null : Math.round(ms);
}

export function asQueryable(tx: unknown): Queryable {
  if (tx && typeof (tx as Queryable).query === 'function') return tx as Queryable;
  throw new ConfigError('`tx` must be a pg client (or PGlite transaction) inside an open transaction');
}

export function jobItem(job: NewJob, i: number) {
  return {
    i,
    name: job.name,
    queue: job.queue,
    payload: job.payload === undefined ? null : job.payload,
    priority: job.priority,
    max_attempts: job.maxAttempts,
    run_at_ms: job.runAt ? job.runAt.getTime() : null,
    delay_ms: job.delayMs == null ? null : Math.round(job.delayMs),
    key: job.key ?? null,
    key_window_ms: job.keyWindowMs == null ? null : Math.round(job.keyWindowMs),
    tenant: job.tenant ?? null,
    meta: job.meta ?? null,
  };
}

/** One key-less job as the single-insert statement's parameters $1 to $9 (see insertJob). */
export function jobValues(job: NewJob): unknown[] {
  const it = jobItem(job, 0);
  return [it.name, it.queue, jsonOrNull(it.payload), it.priority, it.max_attempts, it.run_at_ms, it.delay_ms, it.tenant, jsonOrNull(it.meta)];
}

/** ClaimLimits as the limited claim statement reads them, or null when nothing limits the claim. */
export function limitsJson(limits: ClaimLimits | undefined): string | null {
  if (!limits) return null;
  const queues = Object.entries(limits.queues ?? {})
    .filter(([, l]) => l?.concurrency !== undefined)
    .map(([queue, l]) => ({ queue, concurrency: l.concurrency }));
  const names = Object.entries(limits.names ?? {})
    .filter(([, l]) => l && (l.concurrency !== undefined || l.groupConcurrency !== undefined || l.rate))
    .map(([name, l]) => ({
      name,
      concurrency: l.concurrency ?? null,
      group_concurrency: l.groupConcurrency ?? null,
      rate_max: l.rate?.max ?? null,
      rate_per_ms: l.rate ? Math.round(l.rate.perMs) : null,
      rate_by_group: l.rate?.byGroup ?? false,
    }));
  if (queues.length === 0 && names.length === 0) return null;
  return JSON.stringify({ queues, names });
}

export function logsJson(logs: LogEntry[] | undefined) {
  return (logs ?? []).map((l) => ({ at: l.at.toISOString(), message: l.message }));
}

export function settleResult(items: { id: string }[], rows: { id: string }[]): SettleResult {
  const done = new Set(rows.map((r) => String(r.id)));
  const settled: string[] = [];
  const lost: string[] = [];
  for (const { id } of items) (done.has(id) ? settled : lost).push(id);
  return { settled, lost };
}

/** The items' ids as a Postgres array literal (bigint[]); text, so node-postgres does no quoting per element. */
export const idArray = (items: { id: string }[]) => `{${items.map((it) => toId(it.id)).join(',')}}`;

/** The items' attempt numbers as a Postgres array literal (int[]), in the same order. */
export const attemptArray = (items: { attempt: number }[]) => `{${items.map((it) => Math.trunc(it.attempt)).join(',')}}`;

/** Like settleResult, from the rows the statement could not settle (an id that is no job id never settles). */
export function settleResultFromLost(items: { id: string }[], lostRows: { id: string }[]): SettleResult {
  if (lostRows.length === 0 && items.every((it) => isId(it.id))) return { settled: items.map((it) => it.id), lost: [] };
  const lostIds = new Set(lostRows.map((r) => String(r.id)));
  const settled: string[] = [];
  const lost: string[] = [];
  for (const { id } of items) (lostIds.has(id) || !isId(id) ? lost : settled).push(id);
  return { settled, lost };
}

export function parseWake(payload: string): WakeEvent | null {
  try {
    const e = JSON.parse(payload);
    return typeof e?.queue === 'string' && typeof e?.name === 'string' ? { queue: e.queue, name: e.name } : null;
  } catch {
    return null;
  }
}

export function first(rows: any[]): JobRecord | null {
  return rows.length ? toJob(rows[0]) : null;
}

export const ID = /^[0-9]{1,19}$/;
export const isId = (id: unknown): id is string => typeof id === 'string' && ID.test(id);
// Unknown or malformed ids match nothing rather than failing the whole batch.
export const toId = (id: string) => (isId(id) ? id : '0');
export const toIds = (ids: string[]) => ids.map(toId);

export function keyOf(name: string, key: string): string {
  return `${name}\0${key}`;
}

export function jsonOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export function msOrNull(d: Date | null | undefined): number | null {
  return d ? d.getTime() : null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString().replace(/^id:/, '');
  if (!ID.test(id)) throw new TypeError(`Invalid list cursor: ${cursor}`);
  return id;
}
