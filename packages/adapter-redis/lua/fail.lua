--[[
  fail: settle failed attempts, only while the worker holds them. With a retry delay the job goes
  back to pending at now + delay (ready at once when the delay is 0), else it becomes failed.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."delayed", KEYS[4] P.."keys", KEYS[5] P.."mx"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] item count,
  then 5 slots per item: id, attempt, error (JSON {name, message, stack}), retryDelayMs ('' = fail for good), logs (JSON, '' = none)
  Returns { settled ids, lost ids }. Publishes { queue, name } on P.."wake" for jobs retried at once.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker, n = ARGV[2], tonumber(ARGV[3])
local settled, lost = {}, {}
for i = 0, n - 1 do
  local o = 4 + i * 5
  local id, attempt, err_s, delay_s, logs = ARGV[o], tonumber(ARGV[o + 1]), ARGV[o + 2], ARGV[o + 3], ARGV[o + 4]
  local j = load(id)
  if j and j.state == 'active' and j.workerId == worker and j.attempts == attempt then
    local err = cjson.decode(err_s)
    active_leave(j)
    redis.call('HSET', P .. 'j:' .. id, 'error', tostring(err.message or ''))
    attempt_end(j, attempt, 'failed', now, err, logs ~= '' and cjson.decode(logs) or nil)
    if delay_s ~= '' then
      set_state(j, 'pending')
      place(j, now + math.max(0, tonumber(delay_s)), now)
    else
      finish(j, 'failed', now)
    end
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = id
  end
end
publish_wakes()
return { settled, lost }
