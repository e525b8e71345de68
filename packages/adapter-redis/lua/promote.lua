#!lua
--[[
  promote: make a pending job runnable now (a delayed job moves to its ready set). Other states are
  left as they are.
  KEYS[1] prefix, KEYS[2] P.."delayed"
  ARGV[1] now ('' = TIME), ARGV[2] id
  Returns the job's HGETALL reply (empty when missing). Publishes { queue, name } on P.."wake".
]]
-- @include lib
local now = now_ms(ARGV[1])
local j = load(ARGV[2])
if not j then return {} end
if j.state == 'pending' then
  if j.runAt > now then
    unplace(j)
    redis.call('HSET', P .. 'j:' .. j.id, 'runAt', ms(now))
    j.runAt = now
    route(j, now)
  else
    wake(j)
  end
end
flush()
return hgetall(j.id)
