#!lua
--[[
  retry: run a completed, failed or cancelled job again: pending at now, with `attempts` more
  attempts allowed. Its final attempt moves from the job hash into the history list, and it takes
  its idempotency key back when no other live job holds it.
  KEYS[1] prefix, KEYS[2] P.."keys", KEYS[3] P.."mx"
  ARGV[1] now ('' = TIME), ARGV[2] id, ARGV[3] extra attempts
  Returns the job's HGETALL reply (empty when missing). Publishes { queue, name } on P.."wake".
]]
-- @include lib
local now = now_ms(ARGV[1])
local j = load(ARGV[2])
if not j then return {} end
if j.state == 'completed' or j.state == 'failed' or j.state == 'cancelled' then
  local jk = P .. 'j:' .. j.id
  local outcome, worker, err, logs, finished = unpack(redis.call('HMGET', jk, 'aOutcome', 'aWorker', 'aError', 'aLogs', 'finishedAt'))
  -- A completed job's final attempt has no aOutcome, and its worker is the workerId field.
  if not outcome and j.state == 'completed' then outcome = 'completed' end
  if not worker or worker == '' then worker = j.workerId end
  if outcome then
    local started, ended = j.startedAt or tonumber(finished), tonumber(finished)
    history_push(j.id, attempt_json(j.attempts, worker, started, ended, outcome, err, logs), started)
    -- Completed attempts were counted through fin:completed, which the job is leaving.
    if outcome == 'completed' then metric('c', j, j.attempts, started, ended) end
  end
  redis.call('ZREM', P .. 'fin:' .. j.state, j.id)
  redis.call('HDEL', jk, 'finishedAt', 'keyUntil', 'aOutcome', 'aWorker', 'aError', 'aLogs')
  if j.key then
    local f = keyfield(j.name, j.key)
    local holder = redis.call('HGET', P .. 'keys', f)
    local free = not holder or holder == j.id
    if not free then
      local st = redis.call('HGET', P .. 'j:' .. holder, 'state')
      free = st ~= 'pending' and st ~= 'active'
    end
    if free then redis.call('HSET', P .. 'keys', f, j.id) end
  end
  set_state(j, 'pending')
  redis.call('HSET', jk, 'state', 'pending', 'maxAttempts', j.attempts + tonumber(ARGV[3]), 'runAt', ms(now))
  j.runAt = now
  route(j, now)
end
flush()
return hgetall(j.id)
