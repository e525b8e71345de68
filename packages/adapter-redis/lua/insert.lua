#!lua
--[[
  insert: add jobs, deduplicating by (name, key).
  KEYS[1] prefix ("{p}:"), KEYS[2] P.."id", KEYS[3] P.."keys", KEYS[4] P.."delayed", KEYS[5] P.."all"
  ARGV[1] now ('' = Redis TIME), ARGV[2] job count, then 11 slots per job (see includes/insertJob.lua)
  Returns one entry per job, in input order: { id, 0, runAt, createdAt } (new) or { id, 1, fields } (existing).
  Publishes { queue, name } on P.."wake" once per group with a job that is due now.
]]
-- @include lib
-- @include insertJob
local now = now_ms(ARGV[1])
local n = tonumber(ARGV[2])
local out = {}
reserve_ids(n)
for i = 0, n - 1 do
  out[#out + 1] = insert_job(now, ARGV, 3 + i * INSERT_SLOTS)
end
return_unused_ids()
flush()
return out
