import { clock, statement, ts } from './common.js';

const scheduleColumns = `name, cron, timezone, job, payload, catch_up, tenant, enabled, source,
  next_fire_at, last_fire_at, created_at, updated_at`;

/**
 * $1 name, $2 cron, $3 timezone, $4 job, $5 payload jsonb, $6 catch_up jsonb, $7 tenant,
 * $8 enabled, $9 source, $10 next fire ms, $11 last fire ms, $12 whether last fire was given, $13 now.
 * Replaces by name, keeping created_at, and last_fire_at unless given.
 */
export const upsertSchedule = (s: string) =>
  statement(`
with t as (select ${clock(13)} as now)
insert into ${s}.schedules as sc (${scheduleColumns})
select $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, ${ts(10)}, ${ts(11)}, t.now, t.now from t
on conflict (name) do update set
  cron = excluded.cron, timezone = excluded.timezone, job = excluded.job, payload = excluded.payload,
  catch_up = excluded.catch_up, tenant = excluded.tenant, enabled = excluded.enabled,
  source = excluded.source, next_fire_at = excluded.next_fire_at,
  last_fire_at = case when $12::boolean then excluded.last_fire_at else sc.last_fire_at end,
  updated_at = excluded.updated_at
returning ${scheduleColumns}
`);

export const getSchedule = (s: string) =>
  statement(`select ${scheduleColumns} from ${s}.schedules where name = $1`);

/** $1 source or null. */
export const listSchedules = (s: string) =>
  statement(`select ${scheduleColumns} from ${s}.schedules where ($1::text is null or source = $1) order by name`);

export const removeSchedule = (s: string) =>
  statement(`delete from ${s}.schedules where name = $1 returning name`);

/**
 * Compare-and-set of the next fire time: $1 name, $2 expected next fire ms (null matches null),
 * $3 new next fire ms, $4 last fire ms, $5 now. A concurrent caller blocks on the row lock, then
 * re-checks the condition against the updated row and matches nothing.
 */
export const advanceSchedule = (s: string) =>
  statement(`
with t as (select ${clock(5)} as now)
update ${s}.schedules sc
set next_fire_at = ${ts(3)}, last_fire_at = ${ts(4)}, updated_at = t.now
from t
where sc.name = $1 and sc.next_fire_at is not distinct from ${ts(2)}
returning sc.name
`);

/** $1 scope, $2 target, $3 until ms, $4 reason. */
export const upsertPause = (s: string) =>
  statement(`
insert into ${s}.pauses (scope, target, until, reason) values ($1, $2, ${ts(3)}, $4)
on conflict (scope, target) do update set until = excluded.until, reason = excluded.reason
`);

export const removePause = (s: string) =>
  statement(`delete from ${s}.pauses where scope = $1 and target = $2 returning target`);

/** $1 now. */
export const listPauses = (s: string) =>
  statement(`
select scope, target, until, reason from ${s}.pauses
where until is null or until > ${clock(1)}
order by scope, target
`);
