#!lua flags=allow-oom
--[[
  remove: delete a job, its attempt history and its index entries, in any state.
  KEYS[1] prefix, KEYS[2] P.."active", KEYS[3] P.."delayed", KEYS[4] P.."keys", KEYS[5] P.."all",
  KEYS[6] P.."run"
  ARGV[1] id
  Returns 1 when the job existed, else 0. Emits nothing (a worker holding it loses it at its next heartbeat).
]]
-- @include lib
local j = load(ARGV[1])
if not j then return 0 end
remove_job(j)
flush()
return 1
