#!lua flags=allow-oom
--[[
  progress: record a held job's progress.
  KEYS[1] prefix
  ARGV[1] id, ARGV[2] workerId, ARGV[3] progress (0..100)
  Returns 1 when recorded, 0 when the worker does not hold the job. Emits nothing.
]]
local jk = KEYS[1] .. 'j:' .. ARGV[1]
local st, w = unpack(redis.call('HMGET', jk, 'state', 'workerId'))
if st ~= 'active' or w ~= ARGV[2] then return 0 end
redis.call('HSET', jk, 'progress', ARGV[3])
return 1
