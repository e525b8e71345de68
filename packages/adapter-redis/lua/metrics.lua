--[[
  metrics: completed and failed attempts finished within [from, to], and their mean duration.
  KEYS[1] prefix, KEYS[2] P.."mx"
  ARGV[1] from, ARGV[2] to (epoch ms, inclusive), ARGV[3] name, ARGV[4] queue, ARGV[5] tenant ('' = any)
  Returns { completed, failed, total duration ms, attempts counted }. Emits nothing.
]]
-- @include lib
local name, queue, tenant = opt(ARGV[3]), opt(ARGV[4]), opt(ARGV[5])
local completed, failed, total = 0, 0, 0
for _, raw in ipairs(redis.call('ZRANGEBYSCORE', P .. 'mx', ARGV[1], ARGV[2])) do
  local m = cjson.decode(raw)
  if (not name or m.n == name) and (not queue or m.q == queue) and (not tenant or m.t == tenant) then
    if m.o == 'c' then completed = completed + 1 else failed = failed + 1 end
    total = total + m.d
  end
end
return { completed, failed, ms(total), completed + failed }
