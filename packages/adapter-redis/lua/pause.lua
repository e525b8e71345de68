#!lua
--[[
  pause: pause a queue or job name for every process; replaces an existing pause.
  KEYS[1] prefix, KEYS[2] P.."pauses"
  ARGV[1] field ("queue\0<target>" or "name\0<target>"), ARGV[2] JSON { scope, target, until, reason }
  Returns 1. Emits nothing.
]]
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
