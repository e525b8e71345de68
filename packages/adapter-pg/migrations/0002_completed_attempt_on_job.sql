-- 0002: a job's completing attempt stays on its own row instead of becoming an attempts row.
-- Completing a job then writes one row, not two: the row already holds the attempt number,
-- worker_id, started_at and finished_at; logs holds that attempt's log lines (null when none).
-- Rows completed before this migration keep their attempts row; readers prefer it when present.
alter table jobs add column logs jsonb;
