#!lua flags=allow-oom
--[[
  cancel: a pending or active job becomes cancelled (a running attempt is recorded `cancelled`;
  its worker loses the lease). Terminal jobs are left as they are.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."delayed", KEYS[4] P.."keys", KEYS[5] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] id
  Returns the job's HGETALL reply (empty when it does not exist). Emits nothing.
]]
-- @include lib
local now = now_ms(ARGV[1])
local j = load(ARGV[2])
if not j then return {} end
if j.state == 'pending' then
  unplace(j)
  finish(j, 'cancelled', now, nil)
elseif j.state == 'active' then
  active_leave(j)
  local fields = attempt_end(j, 'cancelled', now, nil, nil, true)
  finish(j, 'cancelled', now, fields)
end
flush()
return hgetall(j.id)
