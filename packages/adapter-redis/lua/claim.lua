#!lua flags=allow-oom
--[[
  claim: hand up to `limit` due pending jobs to one worker, best first.
  KEYS[1] prefix, KEYS[2] P.."delayed", KEYS[3] P.."active", KEYS[4] P.."pauses",
  KEYS[5] P.."actq", KEYS[6] P.."actn", KEYS[7] P.."actg", KEYS[8] P.."run"
  ARGV[1] now ('' = TIME), ARGV[2] workerId, ARGV[3] limit, ARGV[4] leaseMs,
  ARGV[5] names (JSON array), ARGV[6] queues (JSON array, '' = any), ARGV[7] limits (JSON ClaimLimits, '' = none)
  Returns { now, leaseUntil, groups, jobs } in claim order: groups is flat (queue, name, tenant or
  nil) per group the jobs came from; jobs is flat, CLAIM_SLOTS per job: group index (0-based), id,
  runAt, ready score (-priority), attempts (this one), maxAttempts, createdAt, payload, key, meta,
  error, result (nil when absent). Everything else a claimed job shows is known: state active, the
  worker, startedAt now, lockedUntil, no progress and no finishedAt (src/decode.ts claimedJobs).
  Positional and without field names, so the reply is small and cheap to decode.
  Publishes { queue, name } on P.."wake" for delayed jobs it promotes (other workers may take them).
  Due delayed jobs are promoted first. Ready jobs live in one sorted set per (queue, name, tenant);
  the best head across those sets is taken repeatedly (a k-way merge), and groups are loaded in the
  order of P.."rh:"..name only when they can contribute, so thousands of tenants cost little.
  Every job of a set shares its queue, name and tenant, so when a limit blocks one job it blocks the
  whole set, and the set is dropped from this claim instead of being scanned.
]]
-- @include lib
local now = now_ms(ARGV[1])
local worker, limit, lease = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local names = cjson.decode(ARGV[5])
local queues = opt(ARGV[6]) and cjson.decode(ARGV[6]) or nil
local limits = opt(ARGV[7]) and cjson.decode(ARGV[7]) or {}
local qlim = type(limits.queues) == 'table' and limits.queues or {}
local nlim = type(limits.names) == 'table' and limits.names or {}

promote_due(now, 1000)
-- Register promoted jobs' groups now, so the scan below sees them.
flush()

local paused = active_pauses(now)
local qallow = nil
if queues then
  qallow = {}
  for _, q in ipairs(queues) do qallow[q] = true end
end

-- Active counts: what Redis held when the claim began (read on first use) plus what this claim
-- took so far (tq / tn / tg; the stored counters are only written by flush() at the end).
local bq, bn, bg, cr = {}, {}, {}, {}
local tq, tn, tg = {}, {}, {}
local function cnt(base, taken, key, field)
  if base[field] == nil then base[field] = tonumber(redis.call('HGET', key, field) or '0') end
  return base[field] + (taken[field] or 0)
end
local function rate_key(s, rate)
  if rate.byGroup then return P .. 'rate:' .. s.ng end
  return P .. 'rate:' .. cjson.encode({ s.name })
end
-- Rate windows written by this claim; each expires once idle (at least a minute, or two windows)
-- so tenants that stop sending work leave nothing behind.
local rate_touched = {}
local function rate_used(k, per)
  if cr[k] == nil then
    redis.call('ZREMRANGEBYSCORE', k, '-inf', now - per)
    cr[k] = redis.call('ZCOUNT', k, '(' .. (now - per), '+inf')
  end
  return cr[k]
end

local function allowed(s)
  local ql = qlim[s.queue]
  if type(ql) == 'table' and type(ql.concurrency) == 'number' and cnt(bq, tq, P .. 'actq', s.queue) >= ql.concurrency then return false end
  local nl = nlim[s.name]
  if type(nl) ~= 'table' then return true end
  if type(nl.concurrency) == 'number' and cnt(bn, tn, P .. 'actn', s.name) >= nl.concurrency then return false end
  if type(nl.groupConcurrency) == 'number' and cnt(bg, tg, P .. 'actg', s.ng) >= nl.groupConcurrency then return false end
  if type(nl.rate) == 'table' and rate_used(rate_key(s, nl.rate), nl.rate.perMs) >= nl.rate.max then return false end
  return true
end

-- Groups are read lazily, per name, in the order of their best job (P.."rh:"..name); a group's
-- ready set is only loaded once its best job could come before the best job loaded so far.
local streams = {}
for _, name in ipairs(names) do
  if not paused['name\0' .. name] then
    streams[#streams + 1] = { key = P .. 'rh:' .. name, name = name, buf = {}, pos = 1, off = 0 }
  end
end
local GROUP_CHUNK = 64
-- The next (member, score) of a sorted set read `chunk` entries at a time; nil once exhausted.
local function next_entry(st, chunk)
  if st.done then return nil end
  if st.pos > #st.buf then
    st.buf = redis.call('ZRANGE', st.key, st.off, st.off + chunk - 1, 'WITHSCORES')
    st.off = st.off + chunk
    st.pos = 1
    if #st.buf == 0 then st.done = true return nil end
  end
  return st.buf[st.pos], tonumber(st.buf[st.pos + 1])
end
local function peek(st) return next_entry(st, GROUP_CHUNK) end

local sets = {}
-- Take the next group of `st` as a candidate set; nil when its queue is excluded or paused, or it is at a limit.
local function load_group(st)
  local g = st.buf[st.pos]
  st.pos = st.pos + 2
  local t = cjson.decode(g)
  local q = t[1]
  if (qallow and not qallow[q]) or paused['queue\0' .. q] then return nil end
  local s = { key = P .. 'r:' .. g, gid = g, queue = q, name = st.name, tenant = t[3] or nil,
    ng = ngid(st.name, t[3] or nil), buf = {}, pos = 1, off = 0, taken = {},
    limited = qlim[q] ~= nil or nlim[st.name] ~= nil }
  -- A group already at a limit is not even read (tenants at their cap cost one check each).
  if s.limited and not allowed(s) then return nil end
  sets[#sets + 1] = s
  return s
end

local CHUNK = math.min(math.max(limit, 16), 500)
local function head(s) return next_entry(s, CHUNK) end

local out, groups_out, leases, runs, claimed = {}, {}, {}, {}, 0
local lease_until = ms(now + lease)
local now_s = ms(now)
local PJ = P .. 'j:'
local budget = limit + 1000

-- Claim the ready entry `m` (score string `score`) of set `s`, which is its head; s.pos moves past it.
local function take(s, m, score)
  s.pos = s.pos + 2
  local run_at = tonumber(string.sub(m, 1, 15))
  -- A ready entry can only be in the future when callers pass `now` values that go backwards.
  if run_at > now then
    s.skipped = true
    return
  end
  -- The member's last 15 characters are the id, zero-padded.
  local id = string.match(m, '^0*(%d+)$', 16)
  local jk = PJ .. id
  -- Only the fields the reply needs that the group and the ready entry do not already say.
  local v = redis.call('HMGET', jk, 'attempts', 'maxAttempts', 'createdAt', 'payload', 'key', 'meta')
  local attempt = (tonumber(v[1]) or 0) + 1
  local attempt_s = tostring(attempt)
  -- An error, a result or progress only exist once an attempt has run (release clears progress),
  -- so a first attempt skips reading them.
  local err, result, progress = false, false, false
  if attempt > 1 then err, result, progress = unpack(redis.call('HMGET', jk, 'error', 'result', 'progress')) end
  if progress and progress ~= '' then
    redis.call('HSET', jk, 'state', 'active', 'attempts', attempt_s, 'workerId', worker, 'lockedUntil', lease_until, 'startedAt', now_s, 'progress', '')
  else
    redis.call('HSET', jk, 'state', 'active', 'attempts', attempt_s, 'workerId', worker, 'lockedUntil', lease_until, 'startedAt', now_s)
  end
  leases[#leases + 1] = lease_until
  leases[#leases + 1] = id
  -- What complete.lua needs to settle this attempt: "<attempt> <startedAt> <flags> <group id>\n<worker>";
  -- flags name what it must read from the job hash: k (an idempotency key), r (an earlier result).
  local flags = (v[5] and 'k' or '') .. ((result and result ~= 'null') and 'r' or '')
  local tail = s.tail
  if flags ~= '' then
    tail = now_s .. ' ' .. flags .. ' ' .. s.gid .. '\n' .. worker
  elseif not tail then
    tail = now_s .. '  ' .. s.gid .. '\n' .. worker
    s.tail = tail
  end
  runs[#runs + 1] = id
  runs[#runs + 1] = attempt_s .. ' ' .. tail
  if not s.idx then
    s.idx = #groups_out / 3
    groups_out[#groups_out + 1] = s.queue
    groups_out[#groups_out + 1] = s.name
    groups_out[#groups_out + 1] = s.tenant or false
  end
  local k = #out
  out[k + 1] = s.idx
  out[k + 2] = id
  out[k + 3] = run_at
  out[k + 4] = score
  out[k + 5] = attempt
  out[k + 6] = v[2]
  out[k + 7] = v[3]
  out[k + 8] = v[4]
  out[k + 9] = v[5]
  out[k + 10] = v[6]
  out[k + 11] = err
  out[k + 12] = result
  claimed = claimed + 1
  if s.limited then
    tq[s.queue] = (tq[s.queue] or 0) + 1
    tn[s.name] = (tn[s.name] or 0) + 1
    tg[s.ng] = (tg[s.ng] or 0) + 1
    local nl = nlim[s.name]
    if type(nl) == 'table' and type(nl.rate) == 'table' then
      local rk = rate_key(s, nl.rate)
      cr[rk] = rate_used(rk, nl.rate.perMs) + 1
      redis.call('ZADD', rk, now, id .. ':' .. attempt)
      rate_touched[rk] = nl.rate.perMs
    end
  end
  s.taken[#s.taken + 1] = m
end

local best, bm, bs = nil, nil, nil
local function consider(s)
  local m, sc = head(s)
  if m and (not best or sc < bs or (sc == bs and m < bm)) then best, bm, bs = s, m, sc end
end

while claimed < limit and budget > 0 do
  budget = budget - 1
  best, bm, bs = nil, nil, nil
  for _, s in ipairs(sets) do consider(s) end
  -- Bring in every group whose best job might come before the best one loaded.
  for _, st in ipairs(streams) do
    while true do
      local g, hs = peek(st)
      if not g or (best and hs > hscore(-bs, tonumber(string.sub(bm, 1, 15)))) then break end
      local s = load_group(st)
      if s then consider(s) end
    end
  end
  if not best then break end
  if best.limited and not allowed(best) then
    -- Each blocked group is dropped once, so this cannot loop; it does not use up the budget.
    best.done = true
    budget = budget + 1
  else
    local s = best
    take(s, bm, s.buf[s.pos + 1])
    if not s.limited then
      -- Keep taking from this set while its head beats every other candidate: the heads of the
      -- other loaded sets and the next group of each name. The full scan above would pick the
      -- same jobs in the same order; this only skips redoing it per job.
      local rm, rs = nil, nil
      for _, o in ipairs(sets) do
        if o ~= s then
          local m, sc = head(o)
          if m and (not rm or sc < rs or (sc == rs and m < rm)) then rm, rs = m, sc end
        end
      end
      local gh = nil
      for _, st in ipairs(streams) do
        local g, hs = peek(st)
        if g and (not gh or hs < gh) then gh = hs end
      end
      while claimed < limit and budget > 0 do
        local m, sc = head(s)
        if not m or (rm and (rs < sc or (rs == sc and rm < m))) then break end
        if gh and gh <= hscore(-sc, tonumber(string.sub(m, 1, 15))) then break end
        budget = budget - 1
        take(s, m, s.buf[s.pos + 1])
      end
    end
  end
end

for _, s in ipairs(sets) do
  local k = #s.taken
  if k > 0 then
    if s.skipped then
      -- In slices: Lua's unpack cannot spread more than a few thousand values into one call.
      for from = 1, k, 1000 do
        redis.call('ZREM', s.key, unpack(s.taken, from, math.min(from + 999, k)))
      end
    else
      -- Nothing was passed over, so the jobs taken are exactly the first k of the set.
      redis.call('ZREMRANGEBYRANK', s.key, 0, k - 1)
    end
    rn_check[s.gid] = { s.name }
    add(count_d, 'pending' .. s.gid, -k)
    add(count_d, 'active' .. s.gid, k)
    add(actq_d, s.queue, k)
    add(actn_d, s.name, k)
    add(actg_d, s.ng, k)
  end
end
for from = 1, #leases, 1000 do
  redis.call('ZADD', P .. 'active', unpack(leases, from, math.min(from + 999, #leases)))
  redis.call('HSET', P .. 'run', unpack(runs, from, math.min(from + 999, #runs)))
end
for rk, per in pairs(rate_touched) do redis.call('PEXPIRE', rk, math.max(60000, 2 * per)) end
flush()
return { now, now + lease, groups_out, out }
