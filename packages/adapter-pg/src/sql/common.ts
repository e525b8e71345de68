import { createHash } from 'node:crypto';
import type { Statement } from '../executor/types.js';

/**
 * A named statement. The name is derived from the text, so stores on different schemas sharing
 * one pool never collide, and a connection prepares each distinct text once.
 */
export function statement(text: string): Statement {
  return { name: `ms_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
}

/** SQL for an epoch-ms parameter as timestamptz (null stays null). */
export const ts = (n: number) => `('epoch'::timestamptz + $${n}::bigint * interval '1 millisecond')`;

/** SQL for "now": the caller's epoch-ms parameter when given, otherwise the database clock. */
export const clock = (n: number) => `coalesce(${ts(n)}, now())`;

/**
 * A timestamp as epoch milliseconds (float8): parsing a number is far cheaper than node-postgres's
 * date-string parser, and claims return thousands of these per second.
 */
const epochMs = (column: string, as: string) => `${epochMsOf(column)} as ${as}`;

/**
 * date_part, not extract: extract returns numeric, several times slower to compute per value. The
 * float8 product can land a hair under a whole millisecond, so half a microsecond is added before
 * flooring (sub-millisecond digits are dropped either way: a Date holds whole milliseconds).
 */
export const epochMsOf = (column: string) => `floor(date_part('epoch', ${column}) * 1000 + 0.0005)`;

/** Job columns as JobRecord expects them (ids as text: int8 arrives differently per driver). */
export const jobColumns = (a?: string) => {
  const p = a ? `${a}.` : '';
  return [
    `${p}id::text as id`,
    `${p}name`,
    `${p}queue`,
    `${p}state`,
    `${p}payload`,
    `${p}result`,
    `${p}error`,
    `${p}attempts`,
    `${p}max_attempts`,
    `${p}priority`,
    epochMs(`${p}run_at`, 'run_at'),
    epochMs(`${p}created_at`, 'created_at'),
    epochMs(`${p}started_at`, 'started_at'),
    epochMs(`${p}finished_at`, 'finished_at'),
    `${p}key`,
    `${p}tenant`,
    `${p}progress`,
    // A completed row keeps the worker of its last attempt (attempt history); as a job it has none.
    `case when ${p}state = 'active' then ${p}worker_id end as worker_id`,
    epochMs(`${p}locked_until`, 'locked_until'),
    `${p}meta`,
  ].join(', ');
};

/**
 * A CTE sending one NOTIFY per distinct (queue, name) among `from`'s rows that are runnable now.
 * It must be referenced (e.g. `(select n from notified)`) or Postgres never evaluates it.
 * $channel is the parameter number holding the channel name.
 */
export const notifyCte = (from: string, channel: number, now: string) => `notified as (
  select count(pg_notify($${channel}, json_build_object('queue', d.queue, 'name', d.name)::text))::int as n
  from (select distinct queue, name from ${from} where state = 'pending' and run_at <= ${now}) d
)`;

/**
 * What a claim returns, as one row: `jobs`, a JSON array with one array per claimed job holding the
 * fields it can differ in (see claimedRows for the order), plus the batch's start and lease end,
 * which every job in it shares. One JSON document parses far faster in Node than a row per job
 * with a dozen columns, and state, worker, result, error and progress need no sending at all.
 * The array comes in no particular order: claimedRows sorts it in claim order, which costs Node
 * less than an ordered aggregate costs the database (a sort per claim, on the busiest statement).
 * `upd` holds the claimed rows, `t.now` the claim time, $lease the lease in ms.
 */
export const claimedBatch = (upd: string, lease: number) => `
select coalesce(json_agg(json_build_array(
         ${upd}.id::text, ${upd}.name, ${upd}.queue, ${upd}.payload, ${upd}.attempts, ${upd}.max_attempts,
         ${upd}.priority, ${epochMsOf(`${upd}.run_at`)}, ${epochMsOf(`${upd}.created_at`)}, ${upd}.key,
         ${upd}.tenant, ${upd}.meta
       )), '[]'::json) as jobs,
       ${epochMsOf('(select now from t)')} as started_at,
       ${epochMsOf(`(select now from t) + $${lease}::bigint * interval '1 millisecond'`)} as locked_until
from ${upd}`;
