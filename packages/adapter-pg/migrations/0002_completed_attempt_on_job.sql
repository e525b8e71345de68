-- 0002: a job's completing attempt stays on its own row instead of becoming an attempts row.
-- Completing a job then writes one row, not two: the row already holds the attempt number,
-- worker_id, started_at and finished_at; logs holds that attempt's log lines (null when none).
alter table jobs add column logs jsonb;

-- Jobs completed before this migration: move their completing attempt onto the row, so every
-- completed job reads the same way (attempts rows of earlier attempts stay where they are).
update jobs j
set worker_id = a.worker_id, logs = nullif(a.logs, '[]'::jsonb)
from attempts a
where j.state = 'completed' and a.job_id = j.id and a.attempt = j.attempts and a.outcome = 'completed';

delete from attempts a
using jobs j
where j.state = 'completed' and a.job_id = j.id and a.attempt = j.attempts and a.outcome = 'completed';
