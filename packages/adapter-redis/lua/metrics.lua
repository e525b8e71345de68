#!lua flags=no-writes
--[[
  metrics: completed and failed attempts finished within [from, to], and their mean duration.
  KEYS[1] prefix, KEYS[2] P.."mx", KEYS[3] P.."fin:completed", KEYS[4] P.."mbidx"
  ARGV[1] from, ARGV[2] to (epoch ms, inclusive), ARGV[3] name, ARGV[4] queue, ARGV[5] tenant ('' = any)
  Returns { completed, failed, total duration ms, attempts counted }. Emits nothing.
  Short windows are counted attempt by attempt: completed final attempts from P.."fin:completed"
  (read from the job hashes), failed attempts and completed attempts of jobs retried since from
  P.."mx". A window spanning MINUTES_FOR_BUCKETS whole minutes or more reads the per-minute totals
  P.."mb:"..minute for its whole minutes and counts only its two ragged ends attempt by attempt, so
  its cost follows minutes and groups, not attempts. (The minute totals keep counting jobs that were
  removed or pruned since; the attempt-by-attempt count only sees jobs that still exist.)
  The ragged end at `to` is usually the current minute, where all the activity is: when that
  minute's bucket says its latest attempt finished by `to` ("@last"), the bucket holds exactly that
  end, so it is read as a whole minute too. A dashboard polling metrics then costs the same at any
  rate of work, instead of one hash read per job finished this minute.
]]
-- @include lib
local MINUTE = 60000
local MINUTES_FOR_BUCKETS = 10
local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
local name, queue, tenant = opt(ARGV[3]), opt(ARGV[4]), opt(ARGV[5])
local completed, failed, total = 0, 0, 0

local decoded = {}
local function wanted_gid(g)
  local t = decoded[g]
  if not t then t = cjson.decode(g) decoded[g] = t end
  return (not name or t[2] == name) and (not queue or t[1] == queue) and (not tenant or t[3] == tenant)
end

-- Attempt by attempt, over [lo, hi].
local function exact(lo, hi)
  if lo > hi then return end
  for _, raw in ipairs(redis.call('ZRANGEBYSCORE', P .. 'mx', lo, hi)) do
    local kind, d, g = string.match(raw, '^(%a):%d+:%d+:(%-?%d+):(.*)$')
    if wanted_gid(g) then
      if kind == 'c' then completed = completed + 1 else failed = failed + 1 end
      total = total + tonumber(d)
    end
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'fin:completed', lo, hi)) do
    local q, n, t, started, finished = unpack(redis.call('HMGET', P .. 'j:' .. id, 'queue', 'name', 'tenant', 'startedAt', 'finishedAt'))
    if q and started and (not name or n == name) and (not queue or q == queue) and (not tenant or t == tenant) then
      completed = completed + 1
      total = total + (tonumber(finished) - tonumber(started))
    end
  end
end

local first_full = math.ceil(from / MINUTE)
local last_full = math.floor((to + 1) / MINUTE) - 1
if last_full - first_full + 1 >= MINUTES_FOR_BUCKETS then
  exact(from, first_full * MINUTE - 1)
  local tail_last = tonumber(redis.call('HGET', P .. 'mb:' .. ms(last_full + 1), '@last'))
  if tail_last and tail_last <= to then
    last_full = last_full + 1
  else
    exact((last_full + 1) * MINUTE, to)
  end
  for _, minute in ipairs(redis.call('ZRANGEBYSCORE', P .. 'mbidx', first_full, last_full)) do
    local kv = redis.call('HGETALL', P .. 'mb:' .. minute)
    for i = 1, #kv, 2 do
      local field = kv[i]
      local kind, g = string.sub(field, 1, 1), string.sub(field, 2)
      if kind ~= '@' and wanted_gid(g) then
        local v = tonumber(kv[i + 1])
        if kind == 'c' then completed = completed + v elseif kind == 'f' then failed = failed + v else total = total + v end
      end
    end
  end
else
  exact(from, to)
end
return { completed, failed, ms(total), completed + failed }
