--[[
  retry: run a completed, failed or cancelled job again: pending at now, with `attempts` more
  attempts allowed. It takes its idempotency key back when no other live job holds it.
  KEYS[1] prefix, KEYS[2] P.."keys"
  ARGV[1] now ('' = TIME), ARGV[2] id, ARGV[3] extra attempts
  Returns the job's HGETALL reply (empty when missing). Publishes { queue, name } on P.."wake".
]]
-- @include lib
local now = now_ms(ARGV[1])
local j = load(ARGV[2])
if not j then return {} end
if j.state == 'completed' or j.state == 'failed' or j.state == 'cancelled' then
  local jk = P .. 'j:' .. j.id
  redis.call('ZREM', P .. 'fin:' .. j.state, j.id)
  redis.call('HDEL', jk, 'finishedAt', 'keyUntil')
  redis.call('HSET', jk, 'maxAttempts', j.attempts + tonumber(ARGV[3]))
  if j.key then
    local f = keyfield(j.name, j.key)
    local holder = redis.call('HGET', P .. 'keys', f)
    local free = not holder or holder == j.id
    if not free then
      local st = redis.call('HGET', P .. 'j:' .. holder, 'state')
      free = st ~= 'pending' and st ~= 'active'
    end
    if free then redis.call('HSET', P .. 'keys', f, j.id) end
  end
  set_state(j, 'pending')
  place(j, now, now)
end
publish_wakes()
return hgetall(j.id)
