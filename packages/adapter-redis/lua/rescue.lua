#!lua flags=allow-oom
--[[
  rescue: jobs whose lease expired before now go back to pending (or to failed when their attempts
  are used up); the attempt is recorded `stalled`. Each expired job is rescued by exactly one caller
  because the whole scan-and-move runs inside this script.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] limit
  Returns a list of HGETALL replies of the rescued jobs. Publishes { queue, name } on P.."wake" for requeued jobs.
]]
-- @include lib
local now = now_ms(ARGV[1])
local limit = tonumber(ARGV[2])
local MESSAGE = 'Lease expired before the job was settled'
local STALLED = cjson.encode({ name = 'StalledError', message = MESSAGE, stack = cjson.null })
local ids = redis.call('ZRANGEBYSCORE', P .. 'active', '-inf', '(' .. now, 'LIMIT', 0, limit)
local out = {}
for _, id in ipairs(ids) do
  local j = load(id)
  if j and j.state == 'active' then
    active_leave(j)
    local final = j.attempts >= j.maxAttempts
    local fields = attempt_end(j, 'stalled', now, STALLED, nil, final)
    append(fields, { 'error', MESSAGE })
    if final then
      finish(j, 'failed', now, fields)
    else
      set_state(j, 'pending')
      append(fields, { 'state', 'pending', 'runAt', ms(now) })
      redis.call('HSET', P .. 'j:' .. id, unpack(fields))
      j.runAt = now
      route(j, now)
    end
    out[#out + 1] = hgetall(id)
  else
    redis.call('ZREM', P .. 'active', id)
    redis.call('HDEL', P .. 'run', id)
  end
end
flush()
return out
