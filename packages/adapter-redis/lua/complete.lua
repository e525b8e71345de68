--[[
  complete: settle finished attempts as completed, only while the worker holds them.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."keys", KEYS[4] P.."mx"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] item count,
  then 4 slots per item: id, attempt, result (JSON, '' = none), logs (JSON array, '' = none)
  Returns { settled ids, lost ids }. Emits nothing: completion makes nothing claimable.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker, n = ARGV[2], tonumber(ARGV[3])
local settled, lost = {}, {}
for i = 0, n - 1 do
  local o = 4 + i * 4
  local id, attempt, result, logs = ARGV[o], tonumber(ARGV[o + 1]), ARGV[o + 2], ARGV[o + 3]
  local j = load(id)
  if j and j.state == 'active' and j.workerId == worker and j.attempts == attempt then
    active_leave(j)
    if result ~= '' then redis.call('HSET', P .. 'j:' .. id, 'result', result) end
    finish(j, 'completed', now)
    attempt_end(j, attempt, 'completed', now, nil, logs ~= '' and cjson.decode(logs) or nil)
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = id
  end
end
return { settled, lost }
