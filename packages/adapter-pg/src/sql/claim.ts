import { claimedBatch, clock, statement } from './common.js';

/*
 * Claim: pick pending runnable jobs in claim order with FOR UPDATE SKIP LOCKED (concurrent
 * claimers skip each other's rows instead of waiting) and mark them active under a lease (the
 * running attempt lives on the row), all in one statement.
 *
 * Parameters: $1 worker id, $2 names text[], $3 queues text[] or null, $4 limit, $5 lease ms,
 * $6 now (epoch ms or null); the limited variant adds $7 limits jsonb and $8 scan size.
 */

/** Pauses in force, as two arrays, so the scan checks them without a per-row subquery. */
const paused = (s: string) => `
paused as (
  select coalesce(array_agg(p.target) filter (where p.scope = 'queue'), '{}') as queues,
         coalesce(array_agg(p.target) filter (where p.scope = 'name'), '{}') as names
  from ${s}.pauses p
  where p.until is null or p.until > (select now from t)
)`;

/**
 * Pending runnable jobs of one name (n.name) in claim order, locked. It visits the name's distinct
 * priorities from the highest down (one index probe each, a "loose index scan"), and within each
 * priority takes the range of jobs_pending_idx with run_at <= now in order, stopping at the limit.
 * So a claim never reads delayed jobs (a backlog of jobs scheduled for later costs nothing), and the
 * planner picks these index walks even before the table has statistics, where a plain query may
 * prefer reading and sorting every pending row.
 * The paused-queue test is wrapped in coalesce on purpose: as a bare `queue <> all(...)` the planner
 * estimates it from column statistics, and with one queue in the table that estimate is "no row
 * passes", which makes a bitmap scan plus a sort of every pending row look cheapest.
 */
const perName = (s: string, extra: string, limit: string) => `
  cross join lateral (
    with recursive prios(p) as (
      (select j.priority from ${s}.jobs j
       where j.state = 'pending' and j.name = n.name
       order by j.priority desc limit 1)
      union all
      select (select j.priority from ${s}.jobs j
              where j.state = 'pending' and j.name = n.name and j.priority < prios.p
              order by j.priority desc limit 1)
      from prios where prios.p is not null
    )
    select c.* from prios
    cross join lateral (
      select j.ctid, j.id, j.name, j.queue, j.tenant, j.priority, j.run_at from ${s}.jobs j
      where j.state = 'pending'
        and j.name = n.name
        and j.priority = prios.p
        and j.run_at <= (select now from t)
        and ($3::text[] is null or j.queue = any($3::text[]))
        and coalesce(j.queue <> all((select queues from paused)::text[]), true)${extra}
      order by j.run_at, j.id
      limit ${limit}
      for update of j skip locked
    ) c
    where prios.p is not null
  ) c
  where n.name <> all((select names from paused)::text[])`;

/**
 * The claim's transaction commits without waiting for its WAL flush. Losing a claim in a server
 * crash loses no job: the row is still pending and runs again, as after an expired lease, and the
 * job's completion (a durable commit) flushes the claim before it. That takes a disk flush off the
 * enqueue-to-start path and off every claimed batch. Local to the transaction: nothing else changes.
 */
const asyncCommit = `set_config('synchronous_commit', 'off', true) as async_commit`;

// The picked rows are addressed by ctid: they are locked by this statement, so their physical
// address cannot change before the update, and a TID lookup skips a primary-key probe per job.
const activate = (s: string, picked: string) => `
upd as (
  update ${s}.jobs j
  set state = 'active', attempts = j.attempts + 1, started_at = t.now, finished_at = null, progress = null,
      worker_id = $1, locked_until = t.now + $5::bigint * interval '1 millisecond'
  from t
  where j.ctid = any(array(select ctid from ${picked}))
  returning j.id, j.name, j.queue, j.payload, j.attempts, j.max_attempts, j.priority, j.run_at, j.created_at,
            j.key, j.tenant, j.meta
)
${claimedBatch('upd', 5)}`;

/** The hot path: no cross-process limits, so nothing is counted. */
export const claimJobs = (s: string) =>
  statement(`
with t as (select ${clock(6)} as now, ${asyncCommit}),
${paused(s)},
cand as (
  select c.ctid from unnest($2::text[]) as n(name)
  ${perName(s, '', '$4')}
  order by c.priority desc, c.run_at, c.id
  limit $4
),
${activate(s, 'cand')}
`);

/**
 * Claim under queue/name/group concurrency and rate limits. Run inside a transaction holding
 * the schema's claim-limits advisory lock, so the counts it reads cannot be raced by another
 * limited claim. Groups already at their limit are filtered out while scanning (so a busy tenant
 * cannot fill the scan window); within the scanned window each row is ranked per queue, name
 * and group and taken only while its rank fits the capacity left. That can under-fill a batch
 * when limits interact, never over-fill one.
 */
export const claimJobsLimited = (s: string) =>
  statement(`
with t as (select ${clock(6)} as now, ${asyncCommit}),
lq as (
  select * from jsonb_to_recordset($7::jsonb -> 'queues') as x(queue text, concurrency int)
),
ln as (
  select * from jsonb_to_recordset($7::jsonb -> 'names')
    as x(name text, concurrency int, group_concurrency int, rate_max int, rate_per_ms bigint, rate_by_group boolean)
),
q_left as (
  select lq.queue,
         lq.concurrency - (select count(*) from ${s}.jobs a where a.state = 'active' and a.queue = lq.queue) as capacity
  from lq where lq.concurrency is not null
),
n_left as (
  select ln.name,
         ln.concurrency - (select count(*) from ${s}.jobs a where a.state = 'active' and a.name = ln.name) as capacity
  from ln where ln.concurrency is not null
),
g_left as (
  select a.name, a.tenant, ln.group_concurrency - count(*) as capacity
  from ${s}.jobs a join ln on ln.name = a.name
  where ln.group_concurrency is not null and a.state = 'active'
  group by a.name, a.tenant, ln.group_concurrency
),
claims as (
  -- Claims inside the rate windows: attempts rows, running attempts (active jobs) and completed ones.
  select a.name, a.tenant from ${s}.attempts a join ln on ln.name = a.name
  where ln.rate_max is not null
    and a.started_at > (select now from t) - ln.rate_per_ms * interval '1 millisecond'
  union all
  select j.name, j.tenant from ${s}.jobs j join ln on ln.name = j.name
  where ln.rate_max is not null and j.state = 'active'
    and j.started_at > (select now from t) - ln.rate_per_ms * interval '1 millisecond'
  union all
  -- Completed attempts live on their job rows; one that started in the window finished in it too.
  select j.name, j.tenant from ${s}.jobs j join ln on ln.name = j.name
  where ln.rate_max is not null and j.state = 'completed'
    and j.finished_at > (select now from t) - ln.rate_per_ms * interval '1 millisecond'
    and j.started_at > (select now from t) - ln.rate_per_ms * interval '1 millisecond'
),
r_left as (
  select c.name, case when ln.rate_by_group then c.tenant end as tenant, ln.rate_max - count(*) as capacity
  from claims c join ln on ln.name = c.name
  group by 1, 2, ln.rate_max
),
${paused(s)},
cand as (
  select c.* from unnest($2::text[]) as n(name)
  ${perName(
    s,
    `
      and not exists (select 1 from q_left q where q.queue = j.queue and q.capacity <= 0)
      and not exists (select 1 from n_left nl where nl.name = j.name and nl.capacity <= 0)
      and not exists (
        select 1 from g_left g where g.name = j.name and g.tenant is not distinct from j.tenant and g.capacity <= 0
      )
      and not exists (
        select 1 from r_left r join ln on ln.name = r.name
        where r.name = j.name
          and r.tenant is not distinct from (case when ln.rate_by_group then j.tenant end)
          and r.capacity <= 0
      )`,
    '$8',
  )}
),
ranked as (
  select c.*,
    row_number() over (partition by c.queue order by c.priority desc, c.run_at, c.id) as rank_q,
    row_number() over (partition by c.name order by c.priority desc, c.run_at, c.id) as rank_n,
    row_number() over (partition by c.name, c.tenant order by c.priority desc, c.run_at, c.id) as rank_g
  from cand c
),
picked as (
  select r.ctid from ranked r
  left join q_left q on q.queue = r.queue
  left join n_left n on n.name = r.name
  left join ln on ln.name = r.name
  left join g_left g on g.name = r.name and g.tenant is not distinct from r.tenant
  left join r_left rl on rl.name = r.name
    and rl.tenant is not distinct from (case when ln.rate_by_group then r.tenant end)
  where (q.capacity is null or r.rank_q <= q.capacity)
    and (n.capacity is null or r.rank_n <= n.capacity)
    and (ln.group_concurrency is null or r.rank_g <= coalesce(g.capacity, ln.group_concurrency))
    and (ln.rate_max is null
         or (case when ln.rate_by_group then r.rank_g else r.rank_n end) <= coalesce(rl.capacity, ln.rate_max))
  order by r.priority desc, r.run_at, r.id
  limit $4
),
${activate(s, 'picked')}
`);
