--[[
  Shared helpers, inlined into every script by `-- @include lib` (see src/scripts.ts).

  KEYS[1] is always the store's key prefix, e.g. "{mainspring}:". Every key name below is that
  prefix plus a suffix, so all keys of one store carry the same hash tag and live in one Redis
  Cluster slot. Per-job and per-group keys (j:<id>, r:<group>, ...) are derived from KEYS[1]
  inside the scripts because which jobs a claim, rescue or prune touches is only known there;
  the fixed keys a script uses are also listed in its KEYS for routing and readability.

  Key layout (P = KEYS[1]):
    P.."id"            string  last job id (INCRBY per insert call)
    P.."j:"..id        hash    the job record (payload, result, meta kept as raw JSON)
    P.."a:"..id        list    earlier attempts (retried, released, stalled), JSON each, at most
                               MAX_ATTEMPTS; the running or final attempt is in the job hash
    P.."delayed"       zset    pending jobs not yet due, score runAt
    P.."r:"..gid       zset    due pending jobs of one (queue, name, tenant) group;
                               score -priority, member pad15(runAt)..pad15(id) so ties sort by
                               run time then id exactly (no float packing)
    P.."rh:"..name     zset    groups of `name` that have due jobs, scored by their best job as
                               hscore(priority, runAt): claims read groups in this order and load
                               only the ones that can contribute, however many tenants there are
    P.."active"        zset    leases, score lockedUntil (the running attempt itself lives in the
                               job hash: attempts, workerId, startedAt; it joins the history when it ends).
                               workerId and lockedUntil are only meaningful while state is active:
                               settling leaves them in place (one field less to write per job), and
                               readers ignore them in any other state (src/decode.ts)
    P.."run"           hash    id -> what settling the running attempt needs, written by the claim
                               for a whole batch at once: "<attempt> <startedAt> <flags> <group id>
                               \n<workerId>" (complete.lua reads it in one HMGET per batch instead
                               of one read per job). Present exactly while the job is active.
    P.."actq" / "actn" / "actg"  hash  active counts per queue / name / (name, tenant)
    P.."rate:"..x      zset    claim times for a rate limit, member id:attempt (expires when idle)
    P.."keys"          hash    [name,key] -> id of the job holding an idempotency key
    P.."all" / "s:failed" / "s:cancelled" / "it:"..tenant / "ik:"..key
                       zset    list indexes, score id (other filters are checked on the job; the
                               hot path writes only "all", so claims and completions stay cheap)
    P.."counts"        hash    state..gid -> number of jobs (deltas are summed in the script and
                               written once per call by flush())
    P.."fin:"..state   zset    terminal jobs by finishedAt (retention)
    P.."ah"            zset    jobs with attempt history, score: time of the oldest attempt kept
    P.."mx"            zset    metrics samples of failed attempts (and completed ones of jobs
                               retried since), score finishedAt; completed jobs count via fin:completed
    P.."mb:"..minute   hash    per-minute totals of finished attempts: "c"/"f"/"d"..gid -> completed,
                               failed, summed duration; lets metrics over long windows read minutes,
                               not attempts. P.."mbidx" (zset) lists the minutes that have one.
    P.."pauses"        hash    "queue\0q" / "name\0n" -> JSON {until, reason}
    P.."names"         set     job names ever inserted (to wake runners on resume)
    P.."sch:"..name / P.."schs"  hash / set  schedules
  Channel P.."wake" carries JSON {queue, name} when jobs become claimable.
]]
local P = KEYS[1]
-- Attempts kept per job (log lines per attempt are capped by the client before they are sent).
local MAX_ATTEMPTS = 50
-- States rare enough to deserve their own list index; the others are listed through "all".
local INDEXED = { failed = true, cancelled = true }

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
-- One number ordering a group's best job by priority (desc) then run time: exact for integer
-- priorities within +-1023 and run times before 2109; beyond that only the choice of which groups
-- a claim looks at first is approximate, never the order within the groups it loaded.
local HSCALE = 4398046511104 -- 2^42
local function hscore(priority, run_at) return -tonumber(priority) * HSCALE + run_at end
local function opt(s) if s == nil or s == '' then return nil end return s end

-- The fields scripts need to route a job; payload and result stay untouched in Redis.
local JOB_FIELDS = { 'state', 'queue', 'name', 'tenant', 'priority', 'runAt', 'attempts', 'maxAttempts',
  'workerId', 'key', 'keyWindowMs', 'startedAt' }
-- What settling a held job needs (complete and fail run once per job on the hot path).
local SETTLE_FIELDS = { 'state', 'queue', 'name', 'tenant', 'attempts', 'maxAttempts', 'workerId', 'key', 'keyWindowMs', 'startedAt' }

local function load(id, fields)
  fields = fields or JOB_FIELDS
  local v = redis.call('HMGET', P .. 'j:' .. id, unpack(fields))
  if not v[1] then return nil end
  local j = { id = id }
  for i, f in ipairs(fields) do
    if v[i] and v[i] ~= '' then j[f] = v[i] end
  end
  j.runAt = tonumber(j.runAt)
  j.attempts = tonumber(j.attempts)
  j.maxAttempts = tonumber(j.maxAttempts)
  j.startedAt = tonumber(j.startedAt)
  return j
end

local function gid_of(j)
  if not j.gid then j.gid = gid(j.queue, j.name, j.tenant) end
  return j.gid
end

local function hgetall(id) return redis.call('HGETALL', P .. 'j:' .. id) end

--[[ Deferred writes: per-call sums of counter changes, registry updates and wake-ups, applied by
     flush() once at the end of a script instead of once per job. ]]
local count_d, actq_d, actn_d, actg_d = {}, {}, {}, {}
-- heads_min[gid] = { name, best hscore added by this call }; rn_check[gid] = { name } for groups
-- that lost jobs (their head is recomputed from the set itself).
local heads_min, rn_check, wakes = {}, {}, {}
-- minute_d[minute][field] = delta for the per-minute metrics hashes; minute_last[minute] = the
-- latest finish time among them (a bucket's "@last" field: see metrics.lua).
local minute_d, minute_last = {}, {}

-- One attempt of group `g` that finished at `finished` after `dur` ms, for the per-minute totals.
local function minute_add(kind, g, finished, dur, n)
  local m = math.floor(finished / 60000)
  local d = minute_d[m]
  if not d then d = {} minute_d[m] = d end
  d[kind .. g] = (d[kind .. g] or 0) + (n or 1)
  d['d' .. g] = (d['d' .. g] or 0) + dur
  if not minute_last[m] or finished > minute_last[m] then minute_last[m] = finished end
end

local function add(t, k, by) t[k] = (t[k] or 0) + by end

local function wake(j) wakes[cjson.encode({ queue = j.queue, name = j.name })] = true end

local function flush_hash(key, deltas)
  for field, by in pairs(deltas) do
    if by ~= 0 and redis.call('HINCRBY', key, field, by) <= 0 then redis.call('HDEL', key, field) end
  end
end

local function flush()
  flush_hash(P .. 'counts', count_d)
  flush_hash(P .. 'actq', actq_d)
  flush_hash(P .. 'actn', actn_d)
  flush_hash(P .. 'actg', actg_d)
  for g, v in pairs(rn_check) do
    local head = redis.call('ZRANGE', P .. 'r:' .. g, 0, 0, 'WITHSCORES')
    if #head == 0 then
      redis.call('ZREM', P .. 'rh:' .. v[1], g)
    else
      redis.call('ZADD', P .. 'rh:' .. v[1], hscore(-tonumber(head[2]), tonumber(string.sub(head[1], 1, 15))), g)
    end
  end
  for g, v in pairs(heads_min) do
    if not rn_check[g] then redis.call('ZADD', P .. 'rh:' .. v[1], 'LT', v[2], g) end
  end
  for minute, deltas in pairs(minute_d) do
    local k = P .. 'mb:' .. ms(minute)
    for field, by in pairs(deltas) do redis.call('HINCRBY', k, field, by) end
    local last = minute_last[minute]
    if last > (tonumber(redis.call('HGET', k, '@last')) or -1) then redis.call('HSET', k, '@last', ms(last)) end
    redis.call('ZADD', P .. 'mbidx', minute, ms(minute))
  end
  for msg in pairs(wakes) do redis.call('PUBLISH', P .. 'wake', msg) end
  count_d, actq_d, actn_d, actg_d = {}, {}, {}, {}
  heads_min, rn_check, wakes = {}, {}, {}
  minute_d, minute_last = {}, {}
end

-- Record a state change in counts and the rare-state indexes. Callers write the `state` field.
local function set_state(j, to)
  local from = j.state
  if from == to then return end
  local g = gid_of(j)
  add(count_d, from .. g, -1)
  add(count_d, to .. g, 1)
  if INDEXED[from] then redis.call('ZREM', P .. 's:' .. from, j.id) end
  if INDEXED[to] then redis.call('ZADD', P .. 's:' .. to, j.id, j.id) end
  j.state = to
end

local function ready_add(j)
  local g = gid_of(j)
  redis.call('ZADD', P .. 'r:' .. g, -tonumber(j.priority), rmember(j.runAt, j.id))
  local hs = hscore(j.priority, j.runAt)
  local cur = heads_min[g]
  if not cur then heads_min[g] = { j.name, hs } elseif hs < cur[2] then cur[2] = hs end
end

local function ready_rem(j)
  local g = gid_of(j)
  redis.call('ZREM', P .. 'r:' .. g, rmember(j.runAt, j.id))
  rn_check[g] = { j.name }
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

local function unplace(j)
  if redis.call('ZREM', P .. 'delayed', j.id) == 0 then ready_rem(j) end
end

-- Move due delayed jobs into their ready sets (at most `max` per call).
local function promote_due(now, max)
  local ids = redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', now, 'LIMIT', 0, max)
  if #ids == 0 then return 0 end
  redis.call('ZREM', P .. 'delayed', unpack(ids))
  for _, id in ipairs(ids) do
    local j = load(id)
    if j and j.state == 'pending' then
      ready_add(j)
      wake(j)
    end
  end
  return #ids
end

local function act_add(j, by)
  add(actq_d, j.queue, by)
  add(actn_d, j.name, by)
  add(actg_d, ngid(j.name, j.tenant), by)
end

-- Leave the active state: drop the lease and the concurrency counts. workerId / lockedUntil stay
-- in the hash (they mean nothing outside `active`, and workerId names the final attempt's worker).
local function active_leave(j)
  redis.call('ZREM', P .. 'active', j.id)
  redis.call('HDEL', P .. 'run', j.id)
  act_add(j, -1)
end

-- Give up the idempotency key unless a completed job keeps it for its window.
local function key_release(j, keep_window, now)
  if not j.key then return nil end
  local win = tonumber(j.keyWindowMs or '0') or 0
  if keep_window and win > 0 then return ms(now + win) end
  local f = keyfield(j.name, j.key)
  if redis.call('HGET', P .. 'keys', f) == j.id then redis.call('HDEL', P .. 'keys', f) end
  return nil
end

-- Move a job to a terminal state at `now`; `fields` are more job fields to write with it.
local function finish(j, state, now, fields)
  set_state(j, state)
  local f = fields or {}
  f[#f + 1] = 'state'; f[#f + 1] = state
  f[#f + 1] = 'finishedAt'; f[#f + 1] = ms(now)
  local key_until = key_release(j, state == 'completed', now)
  if key_until then f[#f + 1] = 'keyUntil'; f[#f + 1] = key_until end
  redis.call('HSET', P .. 'j:' .. j.id, unpack(f))
  redis.call('ZADD', P .. 'fin:' .. state, now, j.id)
end

--[[ Attempt history. The running attempt lives in the job hash (attempts, workerId, startedAt).
     When it ends the job's life (completed, failed for good, cancelled) it stays there as the final
     attempt: attempts, workerId, startedAt, finishedAt, plus aOutcome (absent for a completed job:
     its final attempt can only have completed), aError and aLogs (absent when empty). So the
     common path (one attempt, done) writes no history entry and only two or three fields. (Older
     data also has aWorker, and an empty workerId; readers take aWorker first.) When the job goes
     on (retry, release, stall back to pending) the attempt is appended to the list P.."a:"..id.
     Errors and logs arrive as JSON text and are stored as they came, never decoded here. ]]
local function attempt_json(n, worker, started, finished, outcome, err_raw, logs_raw)
  return '{"attempt":' .. ms(n) .. ',"workerId":' .. ((worker and worker ~= '') and cjson.encode(worker) or 'null') ..
    ',"startedAt":' .. ms(started) .. ',"finishedAt":' .. ms(finished) .. ',"outcome":"' .. outcome ..
    '","error":' .. ((err_raw and err_raw ~= '') and err_raw or 'null') ..
    ',"logs":' .. ((logs_raw and logs_raw ~= '') and logs_raw or '[]') .. '}'
end

local function history_push(id, json, started)
  local k = P .. 'a:' .. id
  local len = redis.call('RPUSH', k, json)
  if len == 1 then
    redis.call('ZADD', P .. 'ah', started, id)
  elseif len > MAX_ATTEMPTS then
    redis.call('LTRIM', k, -MAX_ATTEMPTS, -1)
  end
end

-- A metrics sample "c|f:id:attempt:durationMs:gid". Completed final attempts are counted from
-- P.."fin:completed" instead, so the hot path writes no sample for them.
local function metric(kind, j, attempt, started, finished)
  redis.call('ZADD', P .. 'mx', finished, kind .. ':' .. j.id .. ':' .. ms(attempt) .. ':' .. ms(finished - started) .. ':' .. gid_of(j))
end

-- End the running attempt. Returns job fields to write with a terminal state (the final attempt),
-- or an empty list after appending it to the history.
local function minute_tally(kind, j, started, finished)
  minute_add(kind, gid_of(j), finished, finished - started)
end

local function attempt_end(j, outcome, now, err_raw, logs_raw, terminal)
  local started = j.startedAt or now
  if outcome == 'failed' then metric('f', j, j.attempts, started, now) end
  if outcome == 'failed' or outcome == 'completed' then minute_tally(outcome == 'failed' and 'f' or 'c', j, started, now) end
  if terminal then
    local f = {}
    if outcome ~= 'completed' then f[#f + 1] = 'aOutcome'; f[#f + 1] = outcome end
    if err_raw and err_raw ~= '' then f[#f + 1] = 'aError'; f[#f + 1] = err_raw end
    if logs_raw and logs_raw ~= '' then f[#f + 1] = 'aLogs'; f[#f + 1] = logs_raw end
    return f
  end
  history_push(j.id, attempt_json(j.attempts, j.workerId, started, now, outcome, err_raw, logs_raw), started)
  return {}
end

local function append(list, more)
  for _, v in ipairs(more) do list[#list + 1] = v end
  return list
end

-- Delete a job and every trace of it in the indexes.
local function remove_job(j)
  local id = j.id
  if j.state == 'pending' then unplace(j) end
  if j.state == 'active' then active_leave(j) end
  add(count_d, j.state .. gid_of(j), -1)
  if INDEXED[j.state] then redis.call('ZREM', P .. 's:' .. j.state, id) end
  redis.call('ZREM', P .. 'all', id)
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
