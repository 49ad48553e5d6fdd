-- Commit one batch of a stage: outputs and acknowledgements, all or nothing, and only
-- while every input entry is still pending for this consumer.
--
-- A slow consumer's entries can be reclaimed by another consumer (XAUTOCLAIM) while it
-- is still working on them; both then hold the same result. Whoever commits first wins;
-- the other one finds an entry no longer pending for it and writes nothing, so an entry's
-- effects are applied exactly once.
--
-- KEYS[1]    the stage's input stream; KEYS[2..] every key the writes touch
-- ARGV[1]    consumer group        ARGV[2] consumer name
-- ARGV[3]    n, the number of entry ids that follow (ARGV[4 .. 3+n])
-- then ops:  command, n, n key indexes (into KEYS), argument count, arguments...
--            (the command with these arguments on each of the n keys, in order)
-- Returns {1} when committed, or {0, lost entry ids...} when nothing was written.

local stream, group, consumer = KEYS[1], ARGV[1], ARGV[2]
local n = tonumber(ARGV[3])
local ids = {}
local lost = {0}
for i = 1, n do
  local id = ARGV[3 + i]
  ids[i] = id
  local p = redis.call('XPENDING', stream, group, id, id, 1, consumer)
  if #p == 0 then
    lost[#lost + 1] = id
  end
end
if #lost > 1 then
  return lost
end

local allowed = {XADD = true, HINCRBY = true, HSET = true, HDEL = true, SET = true, SADD = true, ZADD = true, ZREM = true, RPUSH = true, DEL = true, EXPIRE = true}
local i = 4 + n
while i <= #ARGV do
  local cmd, n = ARGV[i], tonumber(ARGV[i + 1])
  local argc = tonumber(ARGV[i + 2 + n])
  local first = i + 3 + n
  if not allowed[cmd] then
    return redis.error_reply('fenced commit: command not allowed: ' .. cmd)
  end
  for j = i + 2, i + 1 + n do
    redis.call(cmd, KEYS[tonumber(ARGV[j])], unpack(ARGV, first, first + argc - 1))
  end
  i = first + argc
end
for first = 1, n, 1000 do
  redis.call('XACK', stream, group, unpack(ids, first, math.min(n, first + 999)))
end
return {1}
