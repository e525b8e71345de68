#!lua flags=allow-oom
--[[
  extend: push the leases a worker still holds to now + leaseMs.
  KEYS[1] prefix, KEYS[2] P.."active"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] leaseMs, ARGV[4..] job ids
  Returns the ids the worker no longer holds (not active, or active under another worker). Emits nothing.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker, lease = ARGV[2], tonumber(ARGV[3])
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local jk = P .. 'j:' .. id
  local st, w = unpack(redis.call('HMGET', jk, 'state', 'workerId'))
  if st == 'active' and w == worker then
    redis.call('HSET', jk, 'lockedUntil', ms(now + lease))
    redis.call('ZADD', P .. 'active', now + lease, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
