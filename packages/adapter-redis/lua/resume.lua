#!lua flags=allow-oom
--[[
  resume: lift a pause.
  KEYS[1] prefix, KEYS[2] P.."pauses", KEYS[3] P.."names"
  ARGV[1] scope ('queue' | 'name'), ARGV[2] target
  Returns 1 when a pause existed, else 0. Publishes { queue, name } on P.."wake" for every group of
  the resumed queue or name that has due jobs, so idle workers pick them up at once.
]]
-- @include lib
local scope, target = ARGV[1], ARGV[2]
if redis.call('HDEL', P .. 'pauses', scope .. '\0' .. target) == 0 then return 0 end
local names = scope == 'name' and { target } or redis.call('SMEMBERS', P .. 'names')
for _, name in ipairs(names) do
  for _, g in ipairs(redis.call('ZRANGE', P .. 'rh:' .. name, 0, -1)) do
    local t = cjson.decode(g)
    if scope == 'name' or t[1] == target then wake({ queue = t[1], name = name }) end
  end
end
flush()
return 1
