-- 0001: jobs, attempt history, schedules and pauses.
-- Runs with search_path set to the store's schema, inside the migration transaction.
-- Append-only: never edit a released migration; add the next number instead.

create table jobs (
  id bigserial primary key,
  name text not null,
  queue text not null,
  state text not null check (state in ('pending', 'active', 'completed', 'failed', 'cancelled')),
  payload jsonb,
  result jsonb,
  error text,
  attempts integer not null default 0,
  max_attempts integer not null,
  priority integer not null default 0,
  run_at timestamptz not null,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  key text,
  -- How long the key keeps deduplicating after completion (null: only while live).
  key_window_ms bigint,
  tenant text,
  progress double precision,
  worker_id text,
  locked_until timestamptz,
  meta jsonb
);

-- The claim walks this per job name in claim order (priority, run time, id) and stops after the
-- batch; it only ever holds pending rows, so it stays small however much history the table keeps.
create index jobs_pending_idx on jobs (name, priority desc, run_at, id) where state = 'pending';

-- At most one live job per (name, key); inserts use ON CONFLICT against it.
create unique index jobs_live_key_idx on jobs (name, key)
  where key is not null and state in ('pending', 'active');

-- Completed jobs that keep deduplicating their key for a window.
create index jobs_key_window_idx on jobs (name, key, finished_at)
  where key is not null and key_window_ms is not null and state = 'completed';

-- Lease expiry scan (rescue) and active counts for concurrency limits.
create index jobs_active_idx on jobs (locked_until) where state = 'active';

-- Retention scans terminal jobs by age.
create index jobs_finished_idx on jobs (state, finished_at)
  where state in ('completed', 'failed', 'cancelled');

-- Tenant-scoped listing. Name and queue filters walk the primary key newest first instead: an
-- index per filter would be written on every state change of every job, the hot path.
create index jobs_tenant_idx on jobs (tenant, id) where tenant is not null;

-- One row per finished attempt, written once when the attempt ends (insert-only: no update on
-- the hot path). The running attempt of an active job is its jobs row (started_at, worker_id).
-- name/queue/tenant are copied from the job so metrics and rate limits never join jobs.
create table attempts (
  job_id bigint not null,
  attempt integer not null,
  name text not null,
  queue text not null,
  tenant text,
  worker_id text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  outcome text not null check (outcome in ('completed', 'failed', 'stalled', 'released', 'cancelled')),
  error jsonb,
  logs jsonb not null default '[]'::jsonb
);

create index attempts_job_idx on attempts (job_id, attempt);
-- Rate limits count claims per name over a trailing window.
create index attempts_rate_idx on attempts (name, started_at);
-- Metrics over a time window, and retention.
create index attempts_finished_idx on attempts (finished_at);

create table schedules (
  name text primary key,
  cron text not null,
  timezone text not null,
  job text not null,
  payload jsonb,
  catch_up jsonb not null,
  tenant text,
  enabled boolean not null,
  source text not null check (source in ('code', 'dynamic')),
  next_fire_at timestamptz,
  last_fire_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table pauses (
  scope text not null check (scope in ('queue', 'name')),
  target text not null,
  until timestamptz,
  reason text,
  primary key (scope, target)
);
