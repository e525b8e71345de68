#!lua flags=no-writes
--[[
  list: one page of jobs, newest first (id descending), filtered.
  KEYS[1] prefix, KEYS[2] P.."all"
  ARGV[1] states (JSON array, '' = any), ARGV[2] queue, ARGV[3] name, ARGV[4] tenant, ARGV[5] key
  ('' = no filter), ARGV[6] limit, ARGV[7] cursor (an id: return ids below it; '' = from the newest)
  Returns { nextCursor ('' = none), HGETALL reply... }. Emits nothing.
  The smallest matching index ("all", or by key, tenant, or the failed / cancelled state) is walked
  and every other filter is checked on the job itself; at most SCAN_BUDGET entries are read per call, after which
  the page ends early with a cursor so a sparse filter never blocks Redis for long.
]]
-- @include lib
local SCAN_BUDGET = 20000
local states = opt(ARGV[1]) and cjson.decode(ARGV[1]) or nil
local queue, name, tenant, key = opt(ARGV[2]), opt(ARGV[3]), opt(ARGV[4]), opt(ARGV[5])
local limit = tonumber(ARGV[6])
local cursor = opt(ARGV[7])

local state_ok = nil
if states then
  state_ok = {}
  for _, s in ipairs(states) do state_ok[s] = true end
end

local candidates = { P .. 'all' }
if key then candidates[#candidates + 1] = P .. 'ik:' .. key end
if states and #states == 1 and INDEXED[states[1]] then candidates[#candidates + 1] = P .. 's:' .. states[1] end
if tenant then candidates[#candidates + 1] = P .. 'it:' .. tenant end
local index, size = nil, nil
for _, k in ipairs(candidates) do
  local c = redis.call('ZCARD', k)
  if not size or c < size then index, size = k, c end
end

local jobs, last_seen, scanned, more = {}, nil, 0, false
local max = cursor and ('(' .. cursor) or '+inf'
local exhausted = false
while not exhausted and #jobs <= limit and scanned < SCAN_BUDGET do
  local ids = redis.call('ZREVRANGEBYSCORE', index, max, '-inf', 'LIMIT', 0, math.min(limit + 1, 1000))
  if #ids == 0 then exhausted = true end
  for _, id in ipairs(ids) do
    scanned = scanned + 1
    local st, q, n, t, k = unpack(redis.call('HMGET', P .. 'j:' .. id, 'state', 'queue', 'name', 'tenant', 'key'))
    if st and (not state_ok or state_ok[st]) and (not queue or q == queue) and (not name or n == name)
      and (not tenant or t == tenant) and (not key or k == key) then
      if #jobs == limit then more = true break end
      jobs[#jobs + 1] = id
    end
    last_seen = id
  end
  if more then break end
  if #ids > 0 then max = '(' .. ids[#ids] end
end

local next_cursor = ''
if more and #jobs > 0 then next_cursor = jobs[#jobs]
elseif not more and not exhausted and #jobs < limit and last_seen then next_cursor = last_seen end
local out = { next_cursor }
for _, id in ipairs(jobs) do out[#out + 1] = hgetall(id) end
return out
