import { clock, jobColumns, notifyCte, statement } from './common.js';

/*
 * Single-job transitions asked for by people (dashboard, API). Each returns the job after the
 * change, or as it is when the transition does not apply, in one statement: the CTE's update
 * and the fallback select see the same snapshot, so the fallback only answers when nothing changed.
 */

/**
 * $1 id, $2 now. Pending or active → cancelled; a running attempt is recorded 'cancelled'.
 * The row is locked first so the attempt is recorded with the holder it had at that moment.
 */
export const cancelJob = (s: string) =>
  statement(`
with t as (select ${clock(2)} as now),
old as (
  select j.id, j.state, j.worker_id from ${s}.jobs j
  where j.id = $1::bigint and j.state in ('pending', 'active')
  for update
),
upd as (
  update ${s}.jobs j
  set state = 'cancelled', finished_at = t.now, worker_id = null, locked_until = null
  from old o, t
  where j.id = o.id
  returning j.*, o.state as old_state, o.worker_id as old_worker, t.now as ended
),
att as (
  insert into ${s}.attempts (job_id, attempt, name, queue, tenant, worker_id, started_at, finished_at, outcome)
  select id, attempts, name, queue, tenant, old_worker, started_at, ended, 'cancelled'
  from upd where old_state = 'active'
)
select ${jobColumns('upd')} from upd
union all
select ${jobColumns()} from ${s}.jobs where id = $1::bigint and not exists (select 1 from upd)
`);

/**
 * $1 id, $2 extra attempts, $3 now, $4 channel. Terminal → pending now, allowing $2 more attempts.
 * Left alone when another live job holds the same key (the key is unique among live jobs).
 */
export const retryJob = (s: string) =>
  statement(`
with t as (select ${clock(3)} as now),
old as (
  select j.id, j.attempts, j.worker_id, j.started_at, j.finished_at, j.logs, j.state = 'completed' as on_row
  from ${s}.jobs j
  where j.id = $1::bigint and j.state in ('failed', 'cancelled', 'completed')
  for update
),
upd as (
  update ${s}.jobs j
  set state = 'pending', run_at = t.now, max_attempts = j.attempts + $2::int,
      finished_at = null, worker_id = null, locked_until = null, logs = null
  from t, old o
  where j.id = o.id
    and not (j.key is not null and exists (
      select 1 from ${s}.jobs o
      where o.name = j.name and o.key = j.key and o.state in ('pending', 'active') and o.id <> j.id
    ))
  returning j.*
),
-- The completed attempt held on the row becomes an attempts row before the row moves on.
kept as (
  insert into ${s}.attempts (job_id, attempt, name, queue, tenant, worker_id, started_at, finished_at, outcome, error, logs)
  select o.id, o.attempts, u.name, u.queue, u.tenant, o.worker_id, o.started_at, o.finished_at, 'completed', null,
         coalesce(o.logs, '[]'::jsonb)
  from old o join upd u on u.id = o.id
  where o.on_row
),
${notifyCte('upd', 4, '(select now from t)')}
select ${jobColumns()}, (select n from notified) as notified from upd
union all
select ${jobColumns()}, 0 from ${s}.jobs where id = $1::bigint and not exists (select 1 from upd)
`);

/** $1 id, $2 now, $3 channel. A pending job becomes runnable now. */
export const promoteJob = (s: string) =>
  statement(`
with t as (select ${clock(2)} as now),
upd as (
  update ${s}.jobs j set run_at = least(j.run_at, t.now)
  from t
  where j.id = $1::bigint and j.state = 'pending'
  returning j.*
),
${notifyCte('upd', 3, '(select now from t)')}
select ${jobColumns()}, (select n from notified) as notified from upd
union all
select ${jobColumns()}, 0 from ${s}.jobs where id = $1::bigint and not exists (select 1 from upd)
`);

/** $1 id. Deletes the job and its attempt history together. */
export const removeJob = (s: string) =>
  statement(`
with del as (delete from ${s}.jobs where id = $1::bigint returning id),
att as (delete from ${s}.attempts where job_id in (select id from del))
select id::text as id from del
`);

/** $1 id. */
export const getJob = (s: string) =>
  statement(`select ${jobColumns()} from ${s}.jobs where id = $1::bigint`);

/** Which of a list's or count's filters are given; each given one is a condition with a parameter. */
export interface JobFilters {
  states?: boolean;
  queue?: boolean;
  name?: boolean;
  tenant?: boolean;
  key?: boolean;
  cursor?: boolean;
}

/**
 * The WHERE clause for the given filters, parameters numbered from $1 in the order of JobFilters.
 * Absent filters leave no trace (rather than `$n is null or ...`), so a prepared statement's
 * generic plan can still use the tenant or key index when those filters are asked for.
 */
function whereOf(filters: JobFilters): { where: string; next: number } {
  const conds: string[] = [];
  let n = 1;
  if (filters.states) conds.push(`j.state = any($${n++}::text[])`);
  if (filters.queue) conds.push(`j.queue = $${n++}`);
  if (filters.name) conds.push(`j.name = $${n++}`);
  if (filters.tenant) conds.push(`j.tenant = $${n++}`);
  if (filters.key) conds.push(`j.key = $${n++}`);
  if (filters.cursor) conds.push(`j.id < $${n++}::bigint`);
  return { where: conds.length ? `where ${conds.join(' and ')}` : '', next: n };
}

/** Newest first; parameters are the given filters in JobFilters order (cursor: an id, exclusive), then the limit. */
export const listJobs = (s: string, filters: JobFilters) => {
  const { where, next } = whereOf(filters);
  return statement(`select ${jobColumns('j')} from ${s}.jobs j ${where} order by j.id desc limit $${next}`);
};

/** Parameters are the given filters (queue, name, tenant only) in JobFilters order. */
export const countJobs = (s: string, filters: Pick<JobFilters, 'queue' | 'name' | 'tenant'>) =>
  statement(`select j.state, count(*)::int as n from ${s}.jobs j ${whereOf(filters).where} group by j.state`);

/**
 * $1 from, $2 to (epoch ms), $3 name, $4 queue, $5 tenant. Attempts finished within [from, to]:
 * attempts rows, plus completed attempts held on job rows (found through jobs_finished_idx).
 */
export const attemptMetrics = (s: string) =>
  statement(`
with w as (
  select 'epoch'::timestamptz + $1::bigint * interval '1 millisecond' as lo,
         'epoch'::timestamptz + $2::bigint * interval '1 millisecond' as hi
),
finished as (
  select a.outcome, a.finished_at - a.started_at as took
  from ${s}.attempts a, w
  where a.finished_at >= w.lo and a.finished_at <= w.hi
    and a.outcome in ('completed', 'failed')
    and ($3::text is null or a.name = $3)
    and ($4::text is null or a.queue = $4)
    and ($5::text is null or a.tenant = $5)
  union all
  select 'completed', j.finished_at - j.started_at
  from ${s}.jobs j, w
  where j.state = 'completed' and j.finished_at >= w.lo and j.finished_at <= w.hi
    and ($3::text is null or j.name = $3)
    and ($4::text is null or j.queue = $4)
    and ($5::text is null or j.tenant = $5)
)
select count(*) filter (where outcome = 'completed')::int as completed,
       count(*) filter (where outcome = 'failed')::int as failed,
       avg(date_part('epoch', took)) * 1000 as avg_ms
from finished
`);

/**
 * $1 job id. Oldest first: finished attempts from attempts, then the one held on the job's own row:
 * the running attempt of an active job, or the completing attempt of a completed one.
 */
export const listAttempts = (s: string) =>
  statement(`
select * from (
  select a.job_id::text as job_id, a.attempt, a.worker_id, a.started_at, a.finished_at, a.outcome, a.error, a.logs,
         0 as running
  from ${s}.attempts a where a.job_id = $1::bigint
  union all
  select j.id::text, j.attempts, j.worker_id, j.started_at, null, 'running', null, '[]'::jsonb, 1
  from ${s}.jobs j where j.id = $1::bigint and j.state = 'active'
  union all
  select j.id::text, j.attempts, j.worker_id, j.started_at, j.finished_at, 'completed', null, coalesce(j.logs, '[]'::jsonb), 0
  from ${s}.jobs j where j.id = $1::bigint and j.state = 'completed'
) x
order by x.running, x.attempt, x.started_at, x.finished_at
`);

/** The database clock in epoch ms. */
export const clockNow = () =>
  statement(`select (extract(epoch from now()) * 1000)::float8 as now`);
