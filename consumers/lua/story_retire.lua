-- Compact or delete archived stories, each only if it is still where retention found it.
--
-- KEYS[1]  the set the stories were found in (archived or compacted)
-- KEYS[2]  the set compacted stories move to
-- KEYS[2 + 2i - 1], KEYS[2 + 2i]  story i's head and timeline
-- ARGV[1]  'compact' or 'delete'
-- ARGV[2 + 3i - 2 .. 2 + 3i]  story i's id, its score when found, its compacted head ('' = none)
-- A story revived (taken out of KEYS[1]) or re-archived (another score) since it was
-- found is left alone. Returns how many stories were compacted or deleted.
local done = 0
local n = (#KEYS - 2) / 2
for i = 1, n do
  local id, score, head = ARGV[3 * i - 1], ARGV[3 * i], ARGV[3 * i + 1]
  local now = redis.call('ZSCORE', KEYS[1], id)
  if now and tonumber(now) == tonumber(score) then
    local head_key, timeline_key = KEYS[2 * i + 1], KEYS[2 * i + 2]
    redis.call('ZREM', KEYS[1], id)
    redis.call('DEL', timeline_key)
    if ARGV[1] == 'compact' and head ~= '' then
      redis.call('SET', head_key, head)
      redis.call('ZADD', KEYS[2], score, id)
    else
      redis.call('DEL', head_key)
    end
    done = done + 1
  end
end
return done
