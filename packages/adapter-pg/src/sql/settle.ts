import { clock, jobColumns, notifyCte, statement } from './common.js';

/*
 * Settling statements. Each applies to a whole batch in one statement, and only to jobs the
 * worker still holds: state 'active', same worker id, same attempt number. Anything else was
 * rescued, cancelled, removed or settled elsewhere, and is reported lost by the caller.
 * A failed, stalled, released or cancelled attempt is inserted into attempts by the same
 * statement; a completed one stays on the job row (see completeJobs).
 */

/** Columns of an attempts insert; the select supplies them in this order. */
const attemptInsert = (s: string) =>
  `insert into ${s}.attempts (job_id, attempt, name, queue, tenant, worker_id, started_at, finished_at, outcome, error, logs)`;

/**
 * CTEs `items` (the batch: $2 ids bigint[], $3 attempts int[], in the same order) and `picked`
 * (the ctid of each item's row while $1 still holds it for that attempt), and the update condition
 * that goes with them.
 *
 * No join on purpose: each item finds its row by primary key in a subquery of its own, the update
 * addresses those rows by ctid, and per-item values are looked up by key in a jsonb object. A
 * prepared statement's generic plan guesses 10 items and 1 held row, and a join planned on that
 * guess can rescan every item for every row, or read the whole table.
 * The held tests sit inside coalesce on purpose: written plainly, state = 'active' lets the planner
 * reach rows through jobs_active_idx instead, and with statistics taken while nothing was active a
 * generic plan does so, walking every active job once per item.
 */
const heldCtes = (s: string) => `
items as (select * from unnest($2::bigint[], $3::int[]) as x(id, attempt)),
picked as materialized (
  select (select h.ctid from ${s}.jobs h
          where h.id = i.id and coalesce(h.attempts = i.attempt and h.state = 'active' and h.worker_id = $1, false)) as tid
  from items i
)`;
const isHeld = `j.ctid = any(array(select tid from picked where tid is not null)) and coalesce(j.state = 'active' and j.worker_id = $1, false)`;

/**
 * $1 worker id, $2 ids bigint[], $3 attempts int[], $4 now, $5 null or a jsonb object from id to
 * [result, logs] for the items that carry either. Returns the ids it did not complete (usually
 * none, so the answer stays small).
 *
 * The completing attempt stays on the job row (worker_id, started_at, finished_at, logs) rather
 * than becoming an attempts row: one write per job on the hottest statement there is.
 */
export const completeJobs = (s: string) =>
  statement(`
with t as (select ${clock(4)} as now),
${heldCtes(s)},
upd as (
  update ${s}.jobs j
  set state = 'completed', finished_at = t.now, locked_until = null,
      result = nullif($5::jsonb -> (j.id::text) -> 0, 'null'::jsonb),
      logs = nullif($5::jsonb -> (j.id::text) -> 1, 'null'::jsonb)
  from t
  where ${isHeld}
  returning j.id
)
select id::text as id from items where id not in (select id from upd)
`);

/** One field of a failed item's entry in $6 (jsonb; JSON null when absent). */
const failValue = (field: string) => `coalesce($6::jsonb -> (j.id::text) -> '${field}', 'null'::jsonb)`;

/**
 * $1 worker id, $2 ids bigint[], $3 attempts int[], $4 now, $5 channel, $6 jsonb object from id
 * to { error, retry_delay_ms, logs }. A retry delay sends the job back to pending; none fails it
 * for good. Returns the settled ids.
 */
export const failJobs = (s: string) =>
  statement(`
with t as (select ${clock(4)} as now),
${heldCtes(s)},
upd as (
  update ${s}.jobs j
  set state = case when ${failValue('retry_delay_ms')} = 'null' then 'failed' else 'pending' end,
      error = ${failValue('error')} ->> 'message',
      run_at = case when ${failValue('retry_delay_ms')} = 'null' then j.run_at
                    else t.now + (${failValue('retry_delay_ms')})::bigint * interval '1 millisecond' end,
      finished_at = case when ${failValue('retry_delay_ms')} = 'null' then t.now end,
      worker_id = null, locked_until = null
  from t
  where ${isHeld}
  returning j.id, j.attempts, j.state, j.queue, j.name, j.tenant, j.run_at, j.started_at, t.now as ended,
            ${failValue('error')} as error, ${failValue('logs')} as logs
),
att as (
  ${attemptInsert(s)}
  select id, attempts, name, queue, tenant, $1, started_at, ended, 'failed', error, coalesce(logs, '[]'::jsonb)
  from upd
),
${notifyCte('upd', 5, '(select now from t)')}
select id::text as id, (select n from notified) as notified from upd
`);

/**
 * Graceful hand-back: $1 worker id, $2 ids bigint[], $3 now, $4 channel. The attempt is recorded
 * 'released' and given back (attempts - 1); the job is runnable at once.
 */
export const releaseJobs = (s: string) =>
  statement(`
with t as (select ${clock(3)} as now),
upd as (
  update ${s}.jobs j
  set state = 'pending', attempts = j.attempts - 1, run_at = t.now, worker_id = null, locked_until = null
  from t
  where j.id = any($2::bigint[]) and coalesce(j.state = 'active' and j.worker_id = $1, false)
  returning j.id, j.attempts + 1 as attempt, j.state, j.queue, j.name, j.tenant, j.run_at, j.started_at, t.now as ended
),
att as (
  ${attemptInsert(s)}
  select id, attempt, name, queue, tenant, $1, started_at, ended, 'released', null, '[]'::jsonb from upd
),
${notifyCte('upd', 4, '(select now from t)')}
select id::text as id, (select n from notified) as notified from upd
`);

/** $1 worker id, $2 ids bigint[], $3 lease ms, $4 now. Returns the ids still held (and extended). */
export const extendLeases = (s: string) =>
  statement(`
with t as (select ${clock(4)} as now)
update ${s}.jobs j
set locked_until = t.now + $3::bigint * interval '1 millisecond'
from t
where j.id = any($2::bigint[]) and coalesce(j.state = 'active' and j.worker_id = $1, false)
returning j.id::text as id
`);

const STALLED = 'Lease expired before the job was settled';

/**
 * $1 now, $2 limit (null: all), $3 channel. Expired leases go back to pending (or to failed
 * when attempts are used up); the attempt is recorded 'stalled'. SKIP LOCKED makes concurrent
 * rescuers split the work, so each job is rescued once.
 */
export const rescueExpired = (s: string) =>
  statement(`
with t as (select ${clock(1)} as now),
expired as (
  select j.id, j.worker_id from ${s}.jobs j
  where j.state = 'active' and j.locked_until < (select now from t)
  order by j.locked_until
  limit $2
  for update of j skip locked
),
upd as (
  update ${s}.jobs j
  set state = case when j.attempts >= j.max_attempts then 'failed' else 'pending' end,
      run_at = case when j.attempts >= j.max_attempts then j.run_at else t.now end,
      finished_at = case when j.attempts >= j.max_attempts then t.now end,
      error = '${STALLED}',
      worker_id = null, locked_until = null
  from expired e, t
  where j.id = e.id
  returning j.*, e.worker_id as old_worker, t.now as ended
),
att as (
  ${attemptInsert(s)}
  select id, attempts, name, queue, tenant, old_worker, started_at, ended, 'stalled',
         jsonb_build_object('name', 'StalledError', 'message', '${STALLED}', 'stack', null), '[]'::jsonb
  from upd
),
${notifyCte('upd', 3, '(select now from t)')}
select ${jobColumns('upd')}, (select n from notified) as notified from upd order by upd.id
`);

/** $1 id, $2 worker id, $3 progress. */
export const setProgress = (s: string) =>
  statement(`
update ${s}.jobs set progress = $3
where id = $1::bigint and worker_id = $2 and state = 'active'
returning id
`);
