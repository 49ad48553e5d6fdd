-- The latest stories of many index keys in one call (the track stage's candidate lookup).
--
-- KEYS[i]  an index sorted set (member: story id, score: the story's stamp)
-- ARGV[i]  how many of its highest-scored members to return
-- Returns one flat array per key: {id, stamp, id, stamp, ...}.
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('ZRANGE', key, 0, tonumber(ARGV[i]) - 1, 'REV', 'WITHSCORES')
end
return out
