#!lua flags=allow-oom
--[[
  fail: settle failed attempts, only while the worker holds them. With a retry delay the job goes
  back to pending at now + delay (ready at once when the delay is 0) and the attempt joins the
  history list; without one it becomes failed and the attempt stays in the job hash.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."delayed", KEYS[4] P.."keys", KEYS[5] P.."mx",
  KEYS[6] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] item count, then 6 slots per item:
  id, attempt, error (JSON {name, message, stack}), error message, retryDelayMs ('' = fail for good), logs (JSON, '' = none)
  Returns { settled ids, lost ids }. Publishes { queue, name } on P.."wake" for jobs retried at once.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker, n = ARGV[2], tonumber(ARGV[3])
local settled, lost = {}, {}
for i = 0, n - 1 do
  local o = 4 + i * 6
  local id, attempt, err, message, delay_s, logs = ARGV[o], tonumber(ARGV[o + 1]), ARGV[o + 2], ARGV[o + 3], ARGV[o + 4], ARGV[o + 5]
  local j = load(id, SETTLE_FIELDS)
  if j and j.state == 'active' and j.workerId == worker and j.attempts == attempt then
    active_leave(j)
    local final = delay_s == ''
    local fields = attempt_end(j, 'failed', now, err, logs, final)
    append(fields, { 'error', message })
    if final then
      finish(j, 'failed', now, fields)
    else
      local run_at = now + math.max(0, tonumber(delay_s))
      set_state(j, 'pending')
      append(fields, { 'state', 'pending', 'runAt', ms(run_at) })
      redis.call('HSET', P .. 'j:' .. id, unpack(fields))
      j.runAt = run_at
      j.priority = redis.call('HGET', P .. 'j:' .. id, 'priority')
      route(j, now)
    end
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = id
  end
end
flush()
return { settled, lost }
