--[[
  Shared helpers, inlined into every script by `-- @include lib` (see src/scripts.ts).

  KEYS[1] is always the store's key prefix, e.g. "{mainspring}:". Every key name below is that
  prefix plus a suffix, so all keys of one store carry the same hash tag and live in one Redis
  Cluster slot. Per-job and per-group keys (j:<id>, r:<group>, ...) are derived from KEYS[1]
  inside the scripts because which jobs a claim, rescue or prune touches is only known there;
  the fixed keys a script uses are also listed in its KEYS for routing and readability.

  Key layout (P = KEYS[1]):
    P.."id"            string  last job id (INCR)
    P.."j:"..id        hash    the job record (payload, result, meta kept as raw JSON)
    P.."a:"..id        list    attempt history, JSON per attempt, capped at MAX_ATTEMPTS
    P.."delayed"       zset    pending jobs not yet due, score runAt
    P.."r:"..gid       zset    due pending jobs of one (queue, name, tenant) group;
                               score -priority, member pad15(runAt)..pad15(id) so ties sort by
                               run time then id exactly (no float packing)
    P.."rn:"..name     set     group ids of `name` that have due jobs
    P.."active"        zset    leases, score lockedUntil
    P.."actq" / "actn" / "actg"  hash  active counts per queue / name / (name, tenant)
    P.."rate:"..x      zset    claim times for a rate limit, member id:attempt
    P.."keys"          hash    [name,key] -> id of the job holding an idempotency key
    P.."all" / "s:"..state / "iq:"..queue / "in:"..name / "it:"..tenant / "ik:"..key
                       zset    list indexes, score id
    P.."counts"        hash    state..gid -> number of jobs
    P.."fin:"..state   zset    terminal jobs by finishedAt (retention)
    P.."ah"            zset    jobs with attempt history, score: time of the oldest attempt kept
    P.."mx"            zset    finished attempts for metrics, score finishedAt
    P.."pauses"        hash    "queue\0q" / "name\0n" -> JSON {until, reason}
    P.."names"         set     job names ever inserted (to wake runners on resume)
    P.."sch:"..name / P.."schs"  hash / set  schedules
  Channel P.."wake" carries JSON {queue, name} when jobs become claimable.
]]
local P = KEYS[1]
local MAX_ATTEMPTS = 50
local MAX_LOGS = 200

local function now_ms(arg)
  if arg and arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Integers as plain decimal strings (tostring would switch to exponent form past 14 digits).
local function ms(n) return string.format('%d', n) end

local function gid(queue, name, tenant) return cjson.encode({ queue, name, tenant or false }) end
local function ngid(name, tenant) return cjson.encode({ name, tenant or false }) end
local function keyfield(name, key) return cjson.encode({ name, key }) end
local function rmember(run_at, id) return string.format('%015d%015d', run_at, tonumber(id)) end

-- The fields scripts need to route a job; payload and result stay untouched in Redis.
local JOB_FIELDS = { 'state', 'queue', 'name', 'tenant', 'priority', 'runAt', 'attempts', 'maxAttempts',
  'workerId', 'key', 'keyWindowMs', 'keyUntil', 'startedAt' }

local function load(id)
  local v = redis.call('HMGET', P .. 'j:' .. id, unpack(JOB_FIELDS))
  if not v[1] then return nil end
  local j = { id = id }
  for i, f in ipairs(JOB_FIELDS) do
    if v[i] then j[f] = v[i] end
  end
  j.runAt = tonumber(j.runAt)
  j.attempts = tonumber(j.attempts)
  j.maxAttempts = tonumber(j.maxAttempts)
  return j
end

local function hgetall(id) return redis.call('HGETALL', P .. 'j:' .. id) end

-- Wake-ups are collected and published once per (queue, name) at the end of a script.
local wakes = {}
local function wake(j) wakes[cjson.encode({ queue = j.queue, name = j.name })] = true end
local function publish_wakes()
  for msg in pairs(wakes) do redis.call('PUBLISH', P .. 'wake', msg) end
end

local function count_add(state, g, by)
  local c = redis.call('HINCRBY', P .. 'counts', state .. g, by)
  if c <= 0 then redis.call('HDEL', P .. 'counts', state .. g) end
end

local function set_state(j, to)
  local from = j.state
  if from == to then return end
  local g = gid(j.queue, j.name, j.tenant)
  redis.call('ZREM', P .. 's:' .. from, j.id)
  redis.call('ZADD', P .. 's:' .. to, j.id, j.id)
  count_add(from, g, -1)
  count_add(to, g, 1)
  redis.call('HSET', P .. 'j:' .. j.id, 'state', to)
  j.state = to
end

local function ready_add(j)
  local g = gid(j.queue, j.name, j.tenant)
  redis.call('ZADD', P .. 'r:' .. g, -tonumber(j.priority), rmember(j.runAt, j.id))
  redis.call('SADD', P .. 'rn:' .. j.name, g)
end

local function ready_rem(j)
  local g = gid(j.queue, j.name, j.tenant)
  local k = P .. 'r:' .. g
  redis.call('ZREM', k, rmember(j.runAt, j.id))
  if redis.call('EXISTS', k) == 0 then redis.call('SREM', P .. 'rn:' .. j.name, g) end
end

-- Put a pending job where claim finds it: the ready set of its group when due, else delayed.
local function route(j, now)
  if j.runAt <= now then
    ready_add(j)
    wake(j)
  else
    redis.call('ZADD', P .. 'delayed', j.runAt, j.id)
  end
end

-- As route, after setting the job's run time.
local function place(j, run_at, now)
  j.runAt = run_at
  redis.call('HSET', P .. 'j:' .. j.id, 'runAt', ms(run_at))
  route(j, now)
end

local function unplace(j)
  if redis.call('ZREM', P .. 'delayed', j.id) == 0 then ready_rem(j) end
end

-- Move due delayed jobs into their ready sets (at most `max` per call).
local function promote_due(now, max)
  local ids = redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', now, 'LIMIT', 0, max)
  for _, id in ipairs(ids) do
    redis.call('ZREM', P .. 'delayed', id)
    local j = load(id)
    if j and j.state == 'pending' then
      ready_add(j)
      wake(j)
    end
  end
  return #ids
end

local function hincr_or_del(key, field, by)
  local c = redis.call('HINCRBY', key, field, by)
  if c <= 0 then redis.call('HDEL', key, field) end
end

-- Leave the active state: drop the lease and the concurrency counts.
local function active_leave(j)
  redis.call('ZREM', P .. 'active', j.id)
  hincr_or_del(P .. 'actq', j.queue, -1)
  hincr_or_del(P .. 'actn', j.name, -1)
  hincr_or_del(P .. 'actg', ngid(j.name, j.tenant), -1)
  redis.call('HDEL', P .. 'j:' .. j.id, 'workerId', 'lockedUntil')
end

-- Give up the idempotency key unless a completed job keeps it for its window.
local function key_release(j, keep_window, now)
  if not j.key then return end
  local win = tonumber(j.keyWindowMs or '0') or 0
  if keep_window and win > 0 then
    redis.call('HSET', P .. 'j:' .. j.id, 'keyUntil', ms(now + win))
    return
  end
  local f = keyfield(j.name, j.key)
  if redis.call('HGET', P .. 'keys', f) == j.id then redis.call('HDEL', P .. 'keys', f) end
end

-- Move a job to a terminal state at `now`.
local function finish(j, state, now)
  set_state(j, state)
  redis.call('HSET', P .. 'j:' .. j.id, 'finishedAt', ms(now))
  redis.call('ZADD', P .. 'fin:' .. state, now, j.id)
  key_release(j, state == 'completed', now)
end

local function attempt_start(j, n, worker, now)
  local k = P .. 'a:' .. j.id
  redis.call('RPUSH', k, cjson.encode({ attempt = n, workerId = worker, startedAt = now, outcome = 'running' }))
  redis.call('LTRIM', k, -MAX_ATTEMPTS, -1)
  redis.call('ZADD', P .. 'ah', 'NX', now, j.id)
end

-- Close the running attempt `n` (if it is the last one). `logs` is a list of {at, message}.
local function attempt_end(j, n, outcome, now, err, logs)
  local k = P .. 'a:' .. j.id
  local raw = redis.call('LINDEX', k, -1)
  if not raw then return nil end
  local a = cjson.decode(raw)
  if a.attempt ~= n or a.outcome ~= 'running' then return nil end
  a.outcome = outcome
  a.finishedAt = now
  if err then a.error = err end
  if logs and #logs > 0 then
    local all = a.logs or {}
    for _, l in ipairs(logs) do all[#all + 1] = l end
    if #all > MAX_LOGS then
      local kept = {}
      for i = #all - MAX_LOGS + 1, #all do kept[#kept + 1] = all[i] end
      all = kept
    end
    a.logs = all
  end
  redis.call('LSET', k, -1, cjson.encode(a))
  if outcome == 'completed' or outcome == 'failed' then
    local m = cjson.encode({ id = j.id, a = n, o = outcome == 'completed' and 'c' or 'f', d = now - a.startedAt,
      n = j.name, q = j.queue, t = j.tenant or false })
    redis.call('ZADD', P .. 'mx', now, m)
  end
  return a
end

-- Delete a job and every trace of it in the indexes.
local function remove_job(j)
  local id = j.id
  if j.state == 'pending' then unplace(j) end
  if j.state == 'active' then active_leave(j) end
  local g = gid(j.queue, j.name, j.tenant)
  count_add(j.state, g, -1)
  redis.call('ZREM', P .. 's:' .. j.state, id)
  redis.call('ZREM', P .. 'all', id)
  redis.call('ZREM', P .. 'iq:' .. j.queue, id)
  redis.call('ZREM', P .. 'in:' .. j.name, id)
  if j.tenant then redis.call('ZREM', P .. 'it:' .. j.tenant, id) end
  if j.key then
    redis.call('ZREM', P .. 'ik:' .. j.key, id)
    local f = keyfield(j.name, j.key)
    if redis.call('HGET', P .. 'keys', f) == id then redis.call('HDEL', P .. 'keys', f) end
  end
  redis.call('ZREM', P .. 'fin:' .. j.state, id)
  redis.call('ZREM', P .. 'ah', id)
  redis.call('DEL', P .. 'j:' .. id, P .. 'a:' .. id)
end

-- Active pauses as a set of "queue\0q" / "name\0n" strings.
local function active_pauses(now)
  local out = {}
  local kv = redis.call('HGETALL', P .. 'pauses')
  for i = 1, #kv, 2 do
    local p = cjson.decode(kv[i + 1])
    if type(p['until']) ~= 'number' or p['until'] > now then out[kv[i]] = true end
  end
  return out
end

local function opt(s) if s == nil or s == '' then return nil end return s end
