#!lua
--[[
  fireSchedule: compare-and-set on a schedule's nextFireAt plus the insert of its jobs, in one step.
  Under concurrent calls with the same expected value exactly one caller fires; the jobs carry
  deterministic keys so a fire time never yields two jobs.
  KEYS[1] prefix, KEYS[2] P.."schs", KEYS[3] P.."id", KEYS[4] P.."keys"
  ARGV[1] now ('' = TIME), ARGV[2] name, ARGV[3] expected nextFireAt ('' = none), ARGV[4] new nextFireAt
  ('' = none), ARGV[5] new lastFireAt ('' = none), ARGV[6] job count, then 11 slots per job (includes/insertJob.lua)
  Returns { 0 } when not fired, else { 1, insert result... }. Publishes { queue, name } on P.."wake" for due jobs.
]]
-- @include lib
-- @include insertJob
local now = now_ms(ARGV[1])
local sk = P .. 'sch:' .. ARGV[2]
if redis.call('EXISTS', sk) == 0 then return { 0 } end
local current = redis.call('HGET', sk, 'nextFireAt') or ''
if current ~= ARGV[3] then return { 0 } end
local function set_or_del(field, v)
  if v == '' then redis.call('HDEL', sk, field) else redis.call('HSET', sk, field, v) end
end
set_or_del('nextFireAt', ARGV[4])
set_or_del('lastFireAt', ARGV[5])
redis.call('HSET', sk, 'updatedAt', ms(now))
local out = { 1 }
reserve_ids(tonumber(ARGV[6]))
for i = 0, tonumber(ARGV[6]) - 1 do
  out[#out + 1] = insert_job(now, ARGV, 7 + i * INSERT_SLOTS)
end
return_unused_ids()
flush()
return out
