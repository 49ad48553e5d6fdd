-- Decide and record in one step, so two consumers racing on two copies cannot both pass.
-- KEYS[1] text-hash key, KEYS[2] canonical-url key (or "" when the article has no URL)
-- ARGV[1] article id, ARGV[2] window in seconds
-- Returns {verdict, other id}: verdict is "unique", "redelivery", "exact_text" or "canonical_url".
local id = ARGV[1]
local window = tonumber(ARGV[2])
local kinds = {"exact_text", "canonical_url"}
for i = 1, 2 do
  local key = KEYS[i]
  if key ~= "" then
    local owner = redis.call("GET", key)
    if owner and owner ~= id then
      return {kinds[i], owner}
    end
  end
end
local seen = redis.call("GET", KEYS[1]) == id
for i = 1, 2 do
  if KEYS[i] ~= "" then
    redis.call("SET", KEYS[i], id, "EX", window)
  end
end
if seen then
  return {"redelivery", id}
end
return {"unique", id}
