#!lua
--[[
  upsertSchedule: create or replace a schedule by name, keeping createdAt (and lastFireAt unless given).
  KEYS[1] prefix, KEYS[2] P.."schs"
  ARGV[1] now ('' = TIME), ARGV[2] name, ARGV[3] cron, ARGV[4] timezone, ARGV[5] job, ARGV[6] payload (JSON),
  ARGV[7] catchUp (JSON), ARGV[8] tenant ('' = none), ARGV[9] enabled ('1'/'0'), ARGV[10] source,
  ARGV[11] nextFireAt ('' = none), ARGV[12] lastFireAt ('-' = keep, '' = none)
  Returns the schedule's HGETALL reply. Emits nothing.
]]
-- @include lib
local now = now_ms(ARGV[1])
local sk = P .. 'sch:' .. ARGV[2]
local created = redis.call('HGET', sk, 'createdAt') or ms(now)
local last = redis.call('HGET', sk, 'lastFireAt')
if ARGV[12] ~= '-' then last = opt(ARGV[12]) end
redis.call('DEL', sk)
local f = { 'name', ARGV[2], 'cron', ARGV[3], 'timezone', ARGV[4], 'job', ARGV[5], 'payload', ARGV[6],
  'catchUp', ARGV[7], 'enabled', ARGV[9], 'source', ARGV[10], 'createdAt', created, 'updatedAt', ms(now) }
if opt(ARGV[8]) then f[#f + 1] = 'tenant'; f[#f + 1] = ARGV[8] end
if opt(ARGV[11]) then f[#f + 1] = 'nextFireAt'; f[#f + 1] = ARGV[11] end
if last then f[#f + 1] = 'lastFireAt'; f[#f + 1] = last end
redis.call('HSET', sk, unpack(f))
redis.call('SADD', P .. 'schs', ARGV[2])
return redis.call('HGETALL', sk)
