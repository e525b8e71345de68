#!lua flags=allow-oom
--[[
  complete: settle finished attempts as completed, only while the worker holds them (same worker,
  same attempt, still active). The attempt stays in the job hash as its final attempt.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."keys", KEYS[4] P.."fin:completed"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] item count, ARGV[4] how many of them come
  with a result or logs; then 2 slots per plain item (id, attempt), then 4 slots per item with
  extras (id, attempt, result (JSON, '' = none), logs (JSON array, '' = none)).
  Returns the positions (0-based, in ARGV order) of the items that were lost; every other item settled.
  Emits nothing: completion makes nothing claimable.
  This is the hot path (one call per batch of finished jobs), so per job it reads one HMGET and
  writes one HSET of two or three fields; the lease and retention index updates are one ZREM and
  one ZADD for the whole batch, and counters are summed per group (all jobs finish at `now`).
]]
-- @include lib
local now = now_ms(ARGV[1])
local now_s = ms(now)
local worker, n = ARGV[2], tonumber(ARGV[3])
local plain = n - tonumber(ARGV[4])
local settled, lost = {}, {}  -- settled ids; positions of lost items
-- Tallies per (queue, name, tenant), found through nested tables so no key string is built per job.
local by_queue, tallies = {}, {}
local fin = {}
for i = 0, n - 1 do
  local id, attempt, result, logs
  if i < plain then
    local o = 5 + i * 2
    id, attempt, result, logs = ARGV[o], tonumber(ARGV[o + 1]), '', ''
  else
    local o = 5 + plain * 2 + (i - plain) * 4
    id, attempt, result, logs = ARGV[o], tonumber(ARGV[o + 1]), ARGV[o + 2], ARGV[o + 3]
  end
  local jk = P .. 'j:' .. id
  local v = redis.call('HMGET', jk, 'state', 'workerId', 'attempts', 'startedAt', 'queue', 'name', 'tenant', 'key', 'result')
  if v[1] == 'active' and v[2] == worker and tonumber(v[3]) == attempt then
    local q, name, tenant = v[5], v[6], v[7]
    if tenant == '' then tenant = false end
    local by_name = by_queue[q]
    if not by_name then by_name = {} by_queue[q] = by_name end
    local by_tenant = by_name[name]
    if not by_tenant then by_tenant = {} by_name[name] = by_tenant end
    local t = by_tenant[tenant]
    if not t then
      t = { queue = q, name = name, tenant = tenant or nil, n = 0, dur = 0 }
      by_tenant[tenant] = t
      tallies[#tallies + 1] = t
    end
    t.n = t.n + 1
    t.dur = t.dur + (now - (tonumber(v[4]) or now))

    -- A result left from an earlier run (the job was retried by hand) is replaced, not kept.
    if result == '' or result == 'null' then result = (v[9] and v[9] ~= 'null') and 'null' or nil end
    if not result and logs == '' and not v[8] then
      redis.call('HSET', jk, 'state', 'completed', 'finishedAt', now_s)
    else
      local f = { 'state', 'completed', 'finishedAt', now_s }
      if result then f[5] = 'result'; f[6] = result end
      if logs ~= '' then f[#f + 1] = 'aLogs'; f[#f + 1] = logs end
      if v[8] then
        local key_until = key_release({ id = id, name = name, key = v[8], keyWindowMs = redis.call('HGET', jk, 'keyWindowMs') }, true, now)
        if key_until then f[#f + 1] = 'keyUntil'; f[#f + 1] = key_until end
      end
      redis.call('HSET', jk, unpack(f))
    end
    fin[#fin + 1] = now
    fin[#fin + 1] = id
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = i
  end
end

-- In slices: Lua's unpack cannot spread more than a few thousand values into one call.
for from = 1, #settled, 1000 do
  redis.call('ZREM', P .. 'active', unpack(settled, from, math.min(from + 999, #settled)))
end
for from = 1, #fin, 1000 do
  redis.call('ZADD', P .. 'fin:completed', unpack(fin, from, math.min(from + 999, #fin)))
end
for _, t in ipairs(tallies) do
  local g = gid(t.queue, t.name, t.tenant)
  add(count_d, 'active' .. g, -t.n)
  add(count_d, 'completed' .. g, t.n)
  add(actq_d, t.queue, -t.n)
  add(actn_d, t.name, -t.n)
  add(actg_d, ngid(t.name, t.tenant), -t.n)
  minute_add('c', g, now, t.dur, t.n)
end
flush()
return lost
