#!lua flags=allow-oom
--[[
  release: hand leases back at shutdown. Held jobs return to pending, runnable now; the attempt is
  recorded `released` and does not count against maxAttempts (attempts goes back down by one).
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3..] job ids
  Returns the released ids. Publishes { queue, name } on P.."wake" so another worker takes them at once.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker = ARGV[2]
local released = {}
for i = 3, #ARGV do
  local j = load(ARGV[i])
  if j and j.state == 'active' and j.workerId == worker then
    active_leave(j)
    attempt_end(j, 'released', now, nil, nil, false)
    set_state(j, 'pending')
    redis.call('HSET', P .. 'j:' .. j.id, 'state', 'pending', 'workerId', '', 'lockedUntil', '', 'runAt', ms(now),
      'attempts', j.attempts - 1)
    -- The claim reads progress only from jobs that ran before, and this one may be back at 0 attempts.
    redis.call('HDEL', P .. 'j:' .. j.id, 'progress')
    j.runAt = now
    route(j, now)
    released[#released + 1] = j.id
  end
end
flush()
return released
