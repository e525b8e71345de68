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

-- The claim scans this in claim order and stops after the batch: it only ever holds pending rows.
create index jobs_pending_idx on jobs (priority desc, run_at, id) where state = 'pending';

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

-- Listing and counting by the dashboard's usual filters.
create index jobs_name_idx on jobs (name, id);
create index jobs_queue_idx on jobs (queue, id);
create index jobs_tenant_idx on jobs (tenant, id) where tenant is not null;

-- One row per attempt. name/queue/tenant are copied from the job so metrics and rate limits
-- never join the (large) jobs table.
create table attempts (
  id bigserial primary key,
  job_id bigint not null,
  attempt integer not null,
  name text not null,
  queue text not null,
  tenant text,
  worker_id text,
  started_at timestamptz not null,
  finished_at timestamptz,
  outcome text not null check (outcome in ('running', 'completed', 'failed', 'stalled', 'released', 'cancelled')),
  error jsonb,
  logs jsonb not null default '[]'::jsonb
);

create index attempts_job_idx on attempts (job_id, attempt);
create index attempts_rate_idx on attempts (name, started_at);
create index attempts_finished_idx on attempts (finished_at) where finished_at is not null;

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
