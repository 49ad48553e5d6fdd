-- Compact or delete archived stories, each only if it is still where retention found it.
--
-- KEYS[1]  the set the stories were found in (archived or compacted)
-- KEYS[2]  the set compacted stories move to
-- then per story i: its head, its timeline and its n_i index keys
-- ARGV[1]  'compact' or 'delete'
-- then per story i: its id, its score when found, its compacted head ('' = none), n_i,
--          its member in the index keys
-- A story revived (taken out of KEYS[1]) or re-archived (another score) since it was
-- found is left alone. Its index entries go with its claims: a compacted story is found
-- again only by its identity. Returns how many stories were compacted or deleted.
local done = 0
local k, a = 3, 2
while a <= #ARGV do
  local id, score, head, n, member = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3]), ARGV[a + 4]
  local head_key, timeline_key = KEYS[k], KEYS[k + 1]
  local now = redis.call('ZSCORE', KEYS[1], id)
  if now and tonumber(now) == tonumber(score) then
    redis.call('ZREM', KEYS[1], id)
    redis.call('DEL', timeline_key)
    for j = 1, n do
      redis.call('ZREM', KEYS[k + 1 + j], member)
    end
    if ARGV[1] == 'compact' and head ~= '' then
      redis.call('SET', head_key, head)
      redis.call('ZADD', KEYS[2], score, id)
    else
      redis.call('DEL', head_key)
    end
    done = done + 1
  end
  k, a = k + 2 + n, a + 5
end
return done
