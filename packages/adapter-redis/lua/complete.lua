#!lua flags=allow-oom
--[[
  complete: settle finished attempts as completed, only while the worker holds them (same worker,
  same attempt, still active). The attempt stays in the job hash as its final attempt.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."keys", KEYS[4] P.."fin:completed", KEYS[5] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] item count, ARGV[4] how many of them come
  with a result or logs; then 2 slots per plain item (id, attempt), then 4 slots per item with
  extras (id, attempt, result (JSON, '' = none), logs (JSON array, '' = none)).
  Returns the positions (0-based, in ARGV order) of the items that were lost; every other item settled.
  Emits nothing: completion makes nothing claimable.
  This is the hot path (one call per batch of finished jobs). What settling needs about each
  running attempt (its worker, start time and group) is read from P.."run", which the claim wrote,
  with one HMGET for the whole batch: a command per job costs several times one entry of a bulk
  command. So a plain job costs one HSET of two fields; the lease, run and retention index updates
  are one command each for the batch, and counters are summed per group (all jobs finish at `now`).
  Jobs the claim marked as having an idempotency key or an earlier result read those from the job
  hash; attempts claimed before P.."run" existed are checked against the job hash as before.
]]
-- @include lib
local now = now_ms(ARGV[1])
local now_s = ms(now)
local PJ = P .. 'j:'
local worker, n = ARGV[2], tonumber(ARGV[3])
local plain = n - tonumber(ARGV[4])
local ids, attempts, results, logs = {}, {}, {}, {}
for i = 1, n do
  if i <= plain then
    local o = 3 + i * 2
    ids[i], attempts[i], results[i], logs[i] = ARGV[o], ARGV[o + 1], '', ''
  else
    local o = 5 + plain * 2 + (i - plain - 1) * 4
    ids[i], attempts[i], results[i], logs[i] = ARGV[o], ARGV[o + 1], ARGV[o + 2], ARGV[o + 3]
  end
end
local runs = {}
for from = 1, n, 1000 do
  local part = redis.call('HMGET', P .. 'run', unpack(ids, from, math.min(from + 999, n)))
  for k = 1, #part do runs[from + k - 1] = part[k] end
end

local settled, lost, fin, seen = {}, {}, {}, {}  -- settled ids; positions of lost items; retention entries
-- Run entries are "<attempt> <tail>"; the jobs of one claim and group share a tail, decoded once
-- here into { started, extra, g, worker, n }, which also tallies the jobs settled with it.
local tails, by_g = {}, {}
local function tail_of(s)
  local t = tails[s]
  if not t then
    local started, flags, g, w = string.match(s, '^(%d+) (%a*) ([^\n]*)\n(.*)$')
    t = { started = tonumber(started), extra = flags ~= '', g = g, worker = w, n = 0 }
    tails[s] = t
  end
  return t
end
-- Totals per group id: n jobs, summed duration.
local function tally(g, n, dur)
  local t = by_g[g]
  if not t then t = { n = 0, dur = 0 } by_g[g] = t end
  t.n = t.n + n
  t.dur = t.dur + dur
end

-- Write the completed state; `extra` (key or earlier result) reads what it needs from the job hash.
local function settle(id, result, logs_raw, extra, name)
  local jk = PJ .. id
  if result == 'null' then result = '' end
  if result == '' and logs_raw == '' and not extra then
    redis.call('HSET', jk, 'state', 'completed', 'finishedAt', now_s)
    return
  end
  local f = { 'state', 'completed', 'finishedAt', now_s }
  if extra then
    local key, window, old = unpack(redis.call('HMGET', jk, 'key', 'keyWindowMs', 'result'))
    -- A result left from an earlier run (the job was retried by hand) is replaced, not kept.
    if result == '' and old and old ~= 'null' then result = 'null' end
    if key then
      local key_until = key_release({ id = id, name = name, key = key, keyWindowMs = window }, true, now)
      if key_until then f[#f + 1] = 'keyUntil'; f[#f + 1] = key_until end
    end
  end
  if result ~= '' then f[#f + 1] = 'result'; f[#f + 1] = result end
  if logs_raw ~= '' then f[#f + 1] = 'aLogs'; f[#f + 1] = logs_raw end
  redis.call('HSET', jk, unpack(f))
end

local names = {}  -- job name of a group id, for key_release
local function name_of(g)
  local nm = names[g]
  if not nm then nm = cjson.decode(g)[2] names[g] = nm end
  return nm
end

for i = 1, n do
  local id, attempt, run = ids[i], tonumber(attempts[i]), runs[i]
  local ok = false
  if seen[id] then
    -- The same attempt listed twice in one call settles once.
  elseif run then
    local sp = string.find(run, ' ', 1, true)
    local t = tail_of(string.sub(run, sp + 1))
    if t.worker == worker and tonumber(string.sub(run, 1, sp - 1)) == attempt then
      ok = true
      t.n = t.n + 1
      settle(id, results[i], logs[i], t.extra, t.extra and name_of(t.g) or nil)
    end
  else
    -- Claimed before P.."run" was kept: the job hash says who holds it.
    local v = redis.call('HMGET', PJ .. id, 'state', 'workerId', 'attempts', 'startedAt', 'queue', 'name', 'tenant', 'key', 'result')
    if v[1] == 'active' and v[2] == worker and tonumber(v[3]) == attempt then
      ok = true
      local g = gid(v[5], v[6], (v[7] and v[7] ~= '') and v[7] or nil)
      names[g] = v[6]
      tally(g, 1, now - (tonumber(v[4]) or now))
      settle(id, results[i], logs[i], v[8] ~= false or (v[9] ~= false and v[9] ~= 'null'), v[6])
    end
  end
  if ok then
    seen[id] = true
    fin[#fin + 1] = now_s
    fin[#fin + 1] = id
    settled[#settled + 1] = id
  else
    lost[#lost + 1] = i - 1
  end
end
for _, t in pairs(tails) do
  if t.n > 0 then tally(t.g, t.n, t.n * (now - t.started)) end
end

-- In slices: Lua's unpack cannot spread more than a few thousand values into one call.
for from = 1, #settled, 1000 do
  local to = math.min(from + 999, #settled)
  redis.call('ZREM', P .. 'active', unpack(settled, from, to))
  redis.call('HDEL', P .. 'run', unpack(settled, from, to))
end
for from = 1, #fin, 1000 do
  redis.call('ZADD', P .. 'fin:completed', unpack(fin, from, math.min(from + 999, #fin)))
end
for g, t in pairs(by_g) do
  local q, name, tenant = unpack(cjson.decode(g))
  add(count_d, 'active' .. g, -t.n)
  add(count_d, 'completed' .. g, t.n)
  add(actq_d, q, -t.n)
  add(actn_d, name, -t.n)
  add(actg_d, ngid(name, tenant or nil), -t.n)
  minute_add('c', g, now, t.dur, t.n)
end
flush()
return lost
