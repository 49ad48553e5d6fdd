-- Decide and record one article in one atomic step, so two consumers racing on two
-- copies cannot both let theirs through.
--
-- KEYS[1]  the hash-tagged prefix T; every key read or written is T..":<kind>:<bucket>..."
--          and so lies in the same Cluster slot.
-- ARGV[1]  article id
-- ARGV[2]  current bucket number d      ARGV[3]  buckets to look back
-- ARGV[4]  unix time at which bucket d's keys expire
-- ARGV[5]  text shard      ARGV[6]  text field (8 bytes)   ARGV[7]  id field ("i" + 8 bytes)
-- ARGV[8]  url shard ("" when no URL)   ARGV[9]  url field
-- ARGV[10] band shards, 2 bytes each (little-endian)   ARGV[11] band fields, 4 bytes each
-- ARGV[12] signature record: 4-byte shingle count then 2 bytes per permutation ("" when none)
-- ARGV[13] Jaccard threshold  ARGV[14] containment threshold  ARGV[15] Jaccard floor
-- ARGV[16] candidates verified at most
--
-- Stores per bucket d (hashes are small, so Redis keeps them as compact listpacks):
--   T:x:d:<shard>  text or url field -> owner article id;
--                  "i" + id field -> "u" (was unique) or kind char, similarity, "|", original.
--                  The verdict sits next to the text hash: a re-delivered message has the
--                  same text, so one HMGET per bucket answers both questions.
--   T:b:d:<shard>  band field -> n (the owner's record number in T:s:d), first owner wins
--   T:s:d          fixed-size signature records, record n at n * size
--   T:n:d:<n//64>  n % 64 -> owner article id
--   T:c:d          number of articles indexed in bucket d
-- Returns {kind, other article id, similarity}.
local T = KEYS[1]
local id = ARGV[1]
local day = tonumber(ARGV[2])
local oldest = day - tonumber(ARGV[3])
local expire_at = ARGV[4]
local record = ARGV[12]
local ID_BLOCK = 64

local KIND_CODE = {exact_text = "t", canonical_url = "u", near = "n"}
local CODE_KIND = {t = "exact_text", u = "canonical_url", n = "near"}

local function key(kind, d, shard)
  return T .. ":" .. kind .. ":" .. d .. ":" .. shard
end

local function touch(k)
  redis.call("EXPIREAT", k, expire_at)
end

local function remember(value)
  local k = key("x", day, ARGV[5])
  redis.call("HSET", k, ARGV[7], value)
  touch(k)
end

local function duplicate(kind, owner, similarity)
  remember(KIND_CODE[kind] .. similarity .. "|" .. owner)
  return {kind, owner, similarity}
end

-- 1. the same article again: repeat its first verdict. Newest bucket first.
local seen, owner = nil, nil
for d = day, oldest, -1 do
  local v = redis.call("HMGET", key("x", d, ARGV[5]), ARGV[7], ARGV[6])
  seen = seen or v[1]
  owner = owner or v[2]
  if seen then
    break
  end
end
if seen then
  if seen == "u" then
    return {"redelivery", id, "1"}
  end
  local bar = string.find(seen, "|", 1, true)
  return {CODE_KIND[string.sub(seen, 1, 1)], string.sub(seen, bar + 1), string.sub(seen, 2, bar - 1)}
end

-- 2. exact copies: same normalised text, same canonical URL
if owner then
  return duplicate("exact_text", owner, "1")
end
if ARGV[8] ~= "" then
  for d = day, oldest, -1 do
    owner = redis.call("HGET", key("x", d, ARGV[8]), ARGV[9])
    if owner then
      return duplicate("canonical_url", owner, "1")
    end
  end
end

-- 3. near copies: LSH band hits, verified against the stored signatures
local nbands = #ARGV[11] / 4
local shards = {}
if nbands > 0 then
  shards = {struct.unpack("<" .. string.rep("H", nbands), ARGV[10])}
end
local fields = {}
for i = 1, nbands do
  fields[i] = string.sub(ARGV[11], 4 * i - 3, 4 * i)
end

local RECORD = #record
local hits, order = {}, {}
for d = day, oldest, -1 do
  local bucket = T .. ":b:" .. d .. ":"
  for i = 1, nbands do
    local n = redis.call("HGET", bucket .. shards[i], fields[i])
    if n then
      local c = d .. ":" .. n
      if not hits[c] then
        hits[c] = 0
        order[#order + 1] = {c, d, tonumber(n)}
      end
      hits[c] = hits[c] + 1
    end
  end
end

local best, best_j, best_c = nil, 0, 0
if #order > 0 then
  table.sort(order, function(a, b)
    if hits[a[1]] ~= hits[b[1]] then return hits[a[1]] > hits[b[1]] end
    return a[1] < b[1]
  end)
  local mine = {string.byte(record, 5, RECORD)}
  local perms = (RECORD - 4) / 2
  local my_size = struct.unpack("<I4", record)
  local tj, tc, floor = tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15])
  for k = 1, math.min(#order, tonumber(ARGV[16])) do
    local cand = order[k]
    local other = redis.call("GETRANGE", T .. ":s:" .. cand[2], cand[3] * RECORD, (cand[3] + 1) * RECORD - 1)
    if #other == RECORD then
      local theirs = {string.byte(other, 5, RECORD)}
      local same = 0
      for p = 1, 2 * perms, 2 do
        if mine[p] == theirs[p] and mine[p + 1] == theirs[p + 1] then
          same = same + 1
        end
      end
      local chance = 1 / 65536
      local j = math.max(0, (same / perms - chance) / (1 - chance))
      local their_size = struct.unpack("<I4", other)
      local c = 0
      if j > 0 then
        c = math.min(1, j * (my_size + their_size) / (1 + j) / math.min(my_size, their_size))
      end
      if (j >= tj or (c >= tc and j >= floor)) and c > best_c then
        best, best_j, best_c = cand, j, c
      end
    end
  end
end
if best then
  local name = redis.call("HGET", key("n", best[2], math.floor(best[3] / ID_BLOCK)), best[3] % ID_BLOCK)
  if name == id then
    -- an earlier version under the same id (edited in place): not its own duplicate
    return {"redelivery", id, "1"}
  elseif name then
    return duplicate("near", name, string.format("%.4f", best_c))
  end
end

-- 4. unique: index it
local k = key("x", day, ARGV[5])
redis.call("HSET", k, ARGV[7], "u", ARGV[6], id)
touch(k)
if ARGV[8] ~= "" then
  k = key("x", day, ARGV[8])
  redis.call("HSET", k, ARGV[9], id)
  touch(k)
end
if RECORD > 0 then
  local store = T .. ":s:" .. day
  local n = redis.call("STRLEN", store) / RECORD
  redis.call("APPEND", store, record)
  touch(store)
  k = key("n", day, math.floor(n / ID_BLOCK))
  redis.call("HSET", k, n % ID_BLOCK, id)
  touch(k)
  for i = 1, nbands do
    k = key("b", day, shards[i])
    redis.call("HSETNX", k, fields[i], n)
    touch(k)
  end
end
local counter = T .. ":c:" .. day
redis.call("INCR", counter)
touch(counter)
return {"unique", id, "1"}
