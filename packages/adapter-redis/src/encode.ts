import type { CompleteItem, InsertResult, JobRecord, NewJob } from '@mainspring/core';
import { pairs, toJob } from './decode.js';

// How store calls turn into script arguments, and script replies into records.

export type Arg = string | number;

/** Reply of insert_job: a new job `[id, 0, runAt, createdAt]` or an existing one `[id, 1, fields]`. */
export type InsertReply = [string, 0, string, string] | [string, 1, string[]];

export function insertResult(input: NewJob, reply: InsertReply): InsertResult {
  if (reply[1] === 1) return { job: toJob(pairs(reply[2])), deduplicated: true };
  const [id, , runAt, createdAt] = reply;
  const job: JobRecord = {
    id,
    name: input.name,
    queue: input.queue,
    state: 'pending',
    payload: roundTrip(input.payload),
    result: null,
    error: null,
    attempts: 0,
    maxAttempts: input.maxAttempts,
    priority: Number(String(input.priority)),
    runAt: new Date(Number(runAt)),
    createdAt: new Date(Number(createdAt)),
    startedAt: null,
    finishedAt: null,
    key: input.key || null,
    tenant: input.tenant || null,
    progress: null,
    workerId: null,
    lockedUntil: null,
    meta: input.meta == null ? null : (roundTrip(input.meta) as Record<string, unknown>),
  };
  return { job, deduplicated: false };
}

/** The 11 ARGV slots of one job (see lua/includes/insertJob.lua). */
export function pushJobSlots(args: Arg[], job: NewJob): void {
  args.push(
    job.name,
    job.queue,
    JSON.stringify(job.payload ?? null),
    String(job.priority ?? 0),
    String(job.maxAttempts),
    job.runAt ? job.runAt.getTime() : '',
    job.delayMs != null ? Math.round(job.delayMs) : '',
    job.key ?? '',
    job.keyWindowMs != null ? Math.round(job.keyWindowMs) : '',
    job.tenant ?? '',
    job.meta != null ? JSON.stringify(job.meta) : '',
  );
}

/** What a value reads back as after it went through JSON. */
export function roundTrip(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export const nowArg = (now: number | undefined): Arg => (now === undefined ? '' : Math.floor(now));
export const dateArg = (d: Date | null | undefined): string => (d ? String(d.getTime()) : '');
/** Logs kept per attempt: the last MAX_LOGS entries, as JSON the scripts store without decoding. */
export const MAX_LOGS = 200;
/** Longest log message or error stack kept, in characters; memory stays bounded whatever handlers write. */
export const MAX_TEXT = 16_384;

export function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}… [truncated ${text.length - MAX_TEXT} characters]`;
}

export const logsArg = (logs: CompleteItem['logs']): string =>
  logs && logs.length > 0 ? JSON.stringify(logs.slice(-MAX_LOGS).map((l) => ({ at: l.at.getTime(), message: clip(String(l.message)) }))) : '';
export const pauseField = (scope: string, target: string): string => `${scope}\0${target}`;

export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString().replace(/^id:/, '');
  if (!/^[0-9]+$/.test(id)) throw new TypeError(`Invalid list cursor: ${cursor}`);
  return id;
}
