import { clock, statement } from './common.js';

/*
 * Retention. Each statement removes at most one batch and skips rows other transactions hold,
 * so pruning takes short row locks on old terminal rows only and never blocks claiming.
 */

/**
 * $1 completed age ms, $2 failed age ms, $3 cancelled age ms, $4 batch size, $5 now.
 * Deletes one batch of old terminal jobs together with their attempts; returns the count.
 */
export const pruneJobs = (s: string) =>
  statement(`
with t as (select ${clock(5)} as now),
victims as (
  select j.id from ${s}.jobs j
  where (j.state = 'completed' and j.finished_at < (select now from t) - $1::bigint * interval '1 millisecond')
     or (j.state = 'failed' and j.finished_at < (select now from t) - $2::bigint * interval '1 millisecond')
     or (j.state = 'cancelled' and j.finished_at < (select now from t) - $3::bigint * interval '1 millisecond')
  limit $4
  for update of j skip locked
),
att as (delete from ${s}.attempts where job_id in (select id from victims)),
del as (delete from ${s}.jobs where id in (select id from victims) returning 1)
select count(*)::int as n from del
`);

/**
 * $1 age ms, $2 batch size, $3 now. One batch of old attempts of jobs that remain, picked by
 * physical row address (attempts has no key of its own: it is written once and never updated).
 */
export const pruneAttempts = (s: string) =>
  statement(`
with t as (select ${clock(3)} as now),
del as (
  delete from ${s}.attempts
  where ctid = any(array(
    select a.ctid from ${s}.attempts a
    where a.finished_at < (select now from t) - $1::bigint * interval '1 millisecond'
    limit $2
  ))
  returning 1
)
select count(*)::int as n from del
`);
