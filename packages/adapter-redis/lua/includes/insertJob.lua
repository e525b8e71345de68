--[[
  insert_job(now, a, o): insert the job described by the 11 ARGV slots a[o] .. a[o+10]:
    name, queue, payload (JSON), priority, maxAttempts, runAt ('' = none), delayMs ('' = none),
    key ('' = none), keyWindowMs ('' = none), tenant ('' = none), meta (JSON, '' = none)
  Returns { id, 0, runAt, createdAt } for a new job, or { id, 1, <HGETALL of the job> } when the
  (name, key) is held by a live job (or a completed one still inside its key window).
  Needs `-- @include lib` first.
]]
local INSERT_SLOTS = 11
local seen_names = {}

-- Ids for up to `n` inserts are reserved with one INCRBY; ids a deduplicated insert did not use
-- are given back when they are the last ones handed out, else they stay a gap (ids only need to grow).
local next_id, last_id = 0, 0
local function reserve_ids(n)
  last_id = redis.call('INCRBY', P .. 'id', n)
  next_id = last_id - n + 1
end
local function take_id()
  local id = next_id
  next_id = next_id + 1
  return ms(id)
end
local function return_unused_ids()
  if next_id <= last_id then
    redis.call('DECRBY', P .. 'id', last_id - next_id + 1)
  end
end

local function insert_job(now, a, o)
  local name, queue, payload = a[o], a[o + 1], a[o + 2]
  local priority, max_attempts = a[o + 3], a[o + 4]
  local run_at_s, delay_s, key, window = opt(a[o + 5]), opt(a[o + 6]), opt(a[o + 7]), opt(a[o + 8])
  local tenant, meta = opt(a[o + 9]), opt(a[o + 10])

  if key then
    local f = keyfield(name, key)
    local holder = redis.call('HGET', P .. 'keys', f)
    if holder then
      local st, until_s = unpack(redis.call('HMGET', P .. 'j:' .. holder, 'state', 'keyUntil'))
      until_s = opt(until_s)
      if st == 'pending' or st == 'active' or (st == 'completed' and until_s and tonumber(until_s) > now) then
        return { holder, 1, hgetall(holder) }
      end
    end
  end

  local run_at = now
  if run_at_s then run_at = tonumber(run_at_s) elseif delay_s then run_at = now + tonumber(delay_s) end
  local id = take_id()
  local fields = { 'id', id, 'name', name, 'queue', queue, 'state', 'pending', 'payload', payload,
    'attempts', 0, 'maxAttempts', max_attempts, 'priority', priority, 'runAt', ms(run_at), 'createdAt', ms(now) }
  if key then
    fields[#fields + 1] = 'key'; fields[#fields + 1] = key
    if window then fields[#fields + 1] = 'keyWindowMs'; fields[#fields + 1] = window end
    redis.call('HSET', P .. 'keys', keyfield(name, key), id)
    redis.call('ZADD', P .. 'ik:' .. key, id, id)
  end
  if tenant then
    fields[#fields + 1] = 'tenant'; fields[#fields + 1] = tenant
    redis.call('ZADD', P .. 'it:' .. tenant, id, id)
  end
  if meta then fields[#fields + 1] = 'meta'; fields[#fields + 1] = meta end
  redis.call('HSET', P .. 'j:' .. id, unpack(fields))

  redis.call('ZADD', P .. 'all', id, id)
  if not seen_names[name] then
    seen_names[name] = true
    redis.call('SADD', P .. 'names', name)
  end
  local j = { id = id, state = 'pending', queue = queue, name = name, tenant = tenant, priority = priority, runAt = run_at }
  add(count_d, 'pending' .. gid_of(j), 1)
  route(j, now)
  return { id, 0, ms(run_at), ms(now) }
end
