--[[
  rescue: jobs whose lease expired before now go back to pending (or to failed when their attempts
  are used up); the attempt is recorded `stalled`. Each expired job is rescued by exactly one caller
  because the whole scan-and-move runs inside this script.
  KEYS[1] prefix, KEYS[2] P.."active"
  ARGV[1] now ('' = TIME), ARGV[2] limit
  Returns a list of HGETALL replies of the rescued jobs. Publishes { queue, name } on P.."wake" for requeued jobs.
]]
-- @include lib
local now = now_ms(ARGV[1])
local limit = tonumber(ARGV[2])
local STALLED = { name = 'StalledError', message = 'Lease expired before the job was settled', stack = cjson.null }
local ids = redis.call('ZRANGEBYSCORE', P .. 'active', '-inf', '(' .. now, 'LIMIT', 0, limit)
local out = {}
for _, id in ipairs(ids) do
  local j = load(id)
  if j and j.state == 'active' then
    active_leave(j)
    attempt_end(j, j.attempts, 'stalled', now, STALLED, nil)
    redis.call('HSET', P .. 'j:' .. id, 'error', STALLED.message)
    if j.attempts >= j.maxAttempts then
      finish(j, 'failed', now)
    else
      set_state(j, 'pending')
      place(j, now, now)
    end
    out[#out + 1] = hgetall(id)
  else
    redis.call('ZREM', P .. 'active', id)
  end
end
publish_wakes()
return out
