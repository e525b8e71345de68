--[[
  metrics: completed and failed attempts finished within [from, to], and their mean duration.
  Completed final attempts come from P.."fin:completed" (read from the job hashes); failed attempts
  and completed attempts of jobs retried since come from the samples in P.."mx".
  KEYS[1] prefix, KEYS[2] P.."mx", KEYS[3] P.."fin:completed"
  ARGV[1] from, ARGV[2] to (epoch ms, inclusive), ARGV[3] name, ARGV[4] queue, ARGV[5] tenant ('' = any)
  Returns { completed, failed, total duration ms, attempts counted }. Emits nothing.
  Cost grows with the attempts in the window: dashboards should ask for windows, not all time.
]]
-- @include lib
local name, queue, tenant = opt(ARGV[3]), opt(ARGV[4]), opt(ARGV[5])
local completed, failed, total = 0, 0, 0
local function wanted(q, n, t)
  return (not name or n == name) and (not queue or q == queue) and (not tenant or t == tenant)
end
for _, raw in ipairs(redis.call('ZRANGEBYSCORE', P .. 'mx', ARGV[1], ARGV[2])) do
  local kind, d, g = string.match(raw, '^(%a):%d+:%d+:(%-?%d+):(.*)$')
  local t = cjson.decode(g)
  if wanted(t[1], t[2], t[3] or nil) then
    if kind == 'c' then completed = completed + 1 else failed = failed + 1 end
    total = total + tonumber(d)
  end
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'fin:completed', ARGV[1], ARGV[2])) do
  local q, n, t, started, finished = unpack(redis.call('HMGET', P .. 'j:' .. id, 'queue', 'name', 'tenant', 'startedAt', 'finishedAt'))
  if q and started and wanted(q, n, t or nil) then
    completed = completed + 1
    total = total + (tonumber(finished) - tonumber(started))
  end
end
return { completed, failed, ms(total), completed + failed }
