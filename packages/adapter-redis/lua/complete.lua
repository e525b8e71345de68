#!lua flags=allow-oom
--[[
  complete: settle finished attempts as completed, only while the worker holds them (same worker,
  same attempt, still active). The attempt stays in the job hash as its final attempt.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."keys", KEYS[4] P.."fin:completed"
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
  local j = load(id, SETTLE_FIELDS)
  if j and j.state == 'active' and j.workerId == worker and j.attempts == attempt then
    active_leave(j)
    local fields = attempt_end(j, 'completed', now, nil, logs, true)
    append(fields, { 'workerId', '', 'lockedUntil', '' })
    if result ~= '' then append(fields, { 'result', result }) end
    finish(j, 'completed', now, fields)
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = id
  end
end
flush()
return { settled, lost }
