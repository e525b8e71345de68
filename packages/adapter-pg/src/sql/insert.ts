import { clock, jobColumns, notifyCte, statement, ts } from './common.js';

/**
 * Bulk insert in one statement.
 * $1 items (jsonb array, each with its input index `i`), $2 now (epoch ms or null), $3 channel.
 *
 * Ids are drawn from the sequence in input order before inserting, so inserted rows map back to
 * their inputs. Returns one row per input that was inserted (`kind = 'inserted'`) or found
 * deduplicated in this statement's snapshot (`windowed`: a completed job still keeping its key;
 * `live`: a pending/active job with the key). Inputs missing from the result conflicted with a
 * row this snapshot cannot see (a concurrent insert, or an earlier input of the same batch):
 * the caller resolves them with another statement.
 */
export const insertJobs = (s: string) =>
  statement(`
with t as (select ${clock(2)} as now),
input as (
  select nextval('${s}.jobs_id_seq'::regclass) as id, x.*
  from (
    select r.* from jsonb_to_recordset($1::jsonb) as r(
      i int, name text, queue text, payload jsonb, priority int, max_attempts int,
      run_at_ms bigint, delay_ms bigint, key text, key_window_ms bigint, tenant text, meta jsonb
    )
    order by r.i
  ) x
),
windowed as (
  select distinct on (i.i) i.i, j.id
  from input i
  join ${s}.jobs j on j.name = i.name and j.key = i.key
  where i.key is not null
    and j.state = 'completed'
    and j.key_window_ms is not null
    and j.finished_at + j.key_window_ms * interval '1 millisecond' > (select now from t)
  order by i.i, j.id desc
),
ins as (
  insert into ${s}.jobs (id, name, queue, state, payload, attempts, max_attempts, priority, run_at, created_at, key, key_window_ms, tenant, meta)
  select i.id, i.name, i.queue, 'pending', i.payload, 0, i.max_attempts, i.priority,
    coalesce('epoch'::timestamptz + i.run_at_ms * interval '1 millisecond',
             t.now + coalesce(i.delay_ms, 0) * interval '1 millisecond'),
    t.now, i.key, i.key_window_ms, i.tenant, i.meta
  from input i cross join t
  where not exists (select 1 from windowed w where w.i = i.i)
  order by i.id
  on conflict (name, key) where key is not null and state in ('pending', 'active') do nothing
  returning *
),
${notifyCte('ins', 3, '(select now from t)')}
select 'inserted' as kind, i.i, ${jobColumns('ins')}, (select n from notified) as notified
  from ins join input i on i.id = ins.id
union all
select 'windowed', w.i, ${jobColumns('j')}, 0
  from windowed w join ${s}.jobs j on j.id = w.id
union all
select 'live', i.i, ${jobColumns('j')}, 0
  from input i join ${s}.jobs j on j.name = i.name and j.key = i.key and j.state in ('pending', 'active')
  where i.key is not null and not exists (select 1 from windowed w where w.i = i.i)
`);

/**
 * One job without an idempotency key: nothing to deduplicate, so a plain insert, with the same
 * result shape as insertJobs. Single enqueues are what a request handler does, and this is the
 * first step of enqueue-to-start latency, so it skips the batch statement's JSON unpacking.
 * $1 name, $2 queue, $3 payload jsonb, $4 priority, $5 max attempts, $6 run_at (epoch ms or null),
 * $7 delay ms or null, $8 tenant, $9 meta jsonb, $10 now (epoch ms or null), $11 channel, $12 true
 * to insert (false runs the statement without inserting: see PgStore.warmUp).
 */
export const insertJob = (s: string) =>
  statement(`
with t as (select ${clock(10)} as now),
ins as (
  insert into ${s}.jobs (name, queue, state, payload, attempts, max_attempts, priority, run_at, created_at, tenant, meta)
  select $1, $2, 'pending', $3::jsonb, 0, $5, $4,
    coalesce(${ts(6)}, t.now + coalesce($7::bigint, 0) * interval '1 millisecond'),
    t.now, $8, $9::jsonb
  from t
  where $12::boolean
  returning *
),
${notifyCte('ins', 11, '(select now from t)')}
select 'inserted' as kind, 0 as i, ${jobColumns('ins')}, (select n from notified) as notified from ins
`);
