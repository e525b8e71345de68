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
const epochMs = (column: string, as: string) => `(extract(epoch from ${column}) * 1000)::float8 as ${as}`;

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
    `${p}worker_id`,
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
