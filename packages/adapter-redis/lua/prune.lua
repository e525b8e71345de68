#!lua flags=allow-oom
--[[
  prune: one batch of retention work. Deletes terminal jobs finished before their cutoff (with
  their attempt history) and, for jobs that remain, finished attempts older than the attempts
  cutoff, with the metrics samples and minute totals past it. Callers repeat while `more` is 1,
  so no single call blocks Redis long.
  KEYS[1] prefix, KEYS[2] P.."fin:completed", KEYS[3] P.."fin:failed", KEYS[4] P.."fin:cancelled",
  KEYS[5] P.."ah", KEYS[6] P.."mx", KEYS[7] P.."mbidx"
  ARGV[1] now ('' = TIME), ARGV[2] completed cutoff age ms, ARGV[3] failed age ms,
  ARGV[4] cancelled age ms, ARGV[5] attempts age ms, ARGV[6] batch size
  Returns { jobs deleted, attempts deleted, more (1/0) }. Emits nothing.
]]
-- @include lib
local now = now_ms(ARGV[1])
local batch = tonumber(ARGV[6])
local jobs, attempts, more = 0, 0, 0

local ages = { completed = tonumber(ARGV[2]), failed = tonumber(ARGV[3]), cancelled = tonumber(ARGV[4]) }
for _, state in ipairs({ 'completed', 'failed', 'cancelled' }) do
  local ids = redis.call('ZRANGEBYSCORE', P .. 'fin:' .. state, '-inf', '(' .. (now - ages[state]), 'LIMIT', 0, batch)
  if #ids == batch then more = 1 end
  for _, id in ipairs(ids) do
    local j = load(id)
    if j then
      remove_job(j)
      jobs = jobs + 1
    else
      redis.call('ZREM', P .. 'fin:' .. state, id)
    end
  end
end

local cutoff = now - tonumber(ARGV[5])
local ids = redis.call('ZRANGEBYSCORE', P .. 'ah', '-inf', '(' .. cutoff, 'LIMIT', 0, batch)
if #ids == batch then more = 1 end
for _, id in ipairs(ids) do
  local k = P .. 'a:' .. id
  local head = nil
  while true do
    local raw = redis.call('LINDEX', k, 0)
    if not raw then break end
    local a = cjson.decode(raw)
    local at = a.finishedAt or a.startedAt
    if a.outcome == 'running' or at >= cutoff then head = a break end
    redis.call('LPOP', k)
    attempts = attempts + 1
  end
  if not head then
    redis.call('ZREM', P .. 'ah', id)
  elseif head.outcome == 'running' then
    -- A running attempt is never pruned; look again once it could have finished.
    redis.call('ZADD', P .. 'ah', now, id)
  else
    redis.call('ZADD', P .. 'ah', head.finishedAt or head.startedAt, id)
  end
end
redis.call('ZREMRANGEBYSCORE', P .. 'mx', '-inf', '(' .. cutoff)
-- Minute totals of minutes wholly before the cutoff.
local minutes = redis.call('ZRANGEBYSCORE', P .. 'mbidx', '-inf', '(' .. math.floor(cutoff / 60000), 'LIMIT', 0, batch)
if #minutes == batch then more = 1 end
for _, minute in ipairs(minutes) do
  redis.call('DEL', P .. 'mb:' .. minute)
  redis.call('ZREM', P .. 'mbidx', minute)
end
flush()
return { jobs, attempts, more }
