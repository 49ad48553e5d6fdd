-- Decide and record a whole batch of articles in one atomic step, so two consumers
-- racing on two copies cannot both let theirs through. One call per batch: the
-- per-call cost of a script is paid once, and later items of the batch see what the
-- earlier ones indexed.
--
-- KEYS[1]  the hash-tagged prefix T; every key read or written is T..":<kind>:<bucket>"
--          and so lies in the same Cluster slot.
-- ARGV[1]  current bucket number d      ARGV[2]  buckets to look back
-- ARGV[3]  unix time at which bucket d's keys expire
-- ARGV[4]  Jaccard threshold  ARGV[5]  containment threshold  ARGV[6]  Jaccard floor
-- ARGV[7]  candidates verified at most  ARGV[8]  signature record size in bytes
-- ARGV[9]  shingles the shorter text needs for containment to count
-- ARGV[10] number of items; then three arguments per item:
--   owner token (opaque), signature record ("" when none), and the fields, packed:
--   id field ("i" + 8 bytes), text field (8 bytes), url field ("u" + 8 bytes, or
--   NO_URL), then one 4-byte field per LSH band (none when the text is too short).
--   Few arguments keep the client's command encoding cheap; struct.unpack splits them.
--
-- Stores per bucket d:
--   T:h:d  one hash holding every field, so one HMGET per bucket answers all questions:
--            "i"+id   -> kind char, similarity, "|", owner (a duplicate's verdict; a
--                        unique article is known again by its text or URL field naming
--                        it as owner: no field of its own, ~40 bytes less; buckets
--                        written before hold "u" there, still read)
--            text     -> owner            "u"+url -> owner
--            band     -> record number n of the first owner
--            "n"+n    -> owner (n as 4 bytes, big-endian)
--            "c"      -> articles indexed in bucket d
--   T:s:d  fixed-size signature records (4-byte shingle count, 2 bytes per
--          permutation), record n at n * size
-- Keys expire at a fixed time per bucket, set once per batch that writes.
-- Returns one {kind, other owner, similarity} per item.
local T = KEYS[1]
local day = tonumber(ARGV[1])
local oldest = day - tonumber(ARGV[2])
local tj, tc, floor = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local max_candidates = tonumber(ARGV[7])
local RECORD = tonumber(ARGV[8])
local CONTAINMENT_MIN = tonumber(ARGV[9])
local PERMS = (RECORD - 4) / 2
local CHANCE = 1 / 65536
local NO_URL = string.rep("\0", 9) -- stands in for a missing URL; never written

local KIND_CODE = {exact_text = "t", canonical_url = "u", near = "n"}
local CODE_KIND = {t = "exact_text", u = "canonical_url", n = "near"}

local hashes, stores = {}, {}
for d = day, oldest, -1 do
  hashes[d] = T .. ":h:" .. d
  stores[d] = T .. ":s:" .. d
end
local HASH = hashes[day]
local next_record = redis.call("STRLEN", stores[day]) / RECORD
local indexed = 0

local function record_field(n)
  return "n" .. struct.pack(">I4", n)
end

-- Record n of bucket d (shingle count, then the signature), or false. Popular records
-- are candidates for many items of a batch, so each is read once.
local records = {}
local function stored(d, n)
  local k = (day - d) * 2 ^ 32 + n
  local rec = records[k]
  if rec == nil then
    rec = redis.call("GETRANGE", stores[d], n * RECORD, (n + 1) * RECORD - 1)
    if #rec ~= RECORD then
      rec = false
    end
    records[k] = rec
  end
  return rec
end

-- Equal 16-bit values of two records, 8 at a time: string.byte returns 16 bytes as
-- plain values, which is about twice as fast as unpacking each record into a table.
local byte = string.byte
local function equal_values(m, t)
  local same = 0
  for i = 5, RECORD, 16 do
    local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16 = byte(m, i, i + 15)
    local b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16 = byte(t, i, i + 15)
    if a1 == b1 and a2 == b2 then same = same + 1 end
    if a3 == b3 and a4 == b4 then same = same + 1 end
    if a5 == b5 and a6 == b6 then same = same + 1 end
    if a7 == b7 and a8 == b8 then same = same + 1 end
    if a9 == b9 and a10 == b10 then same = same + 1 end
    if a11 == b11 and a12 == b12 then same = same + 1 end
    if a13 == b13 and a14 == b14 then same = same + 1 end
    if a15 == b15 and a16 == b16 then same = same + 1 end
  end
  return same
end

-- Estimated (Jaccard, containment) of two records. Containment of a text too short to
-- judge (a headline-sized teaser shares most of its few shingles with anything on the
-- same event) is reported as 0: such texts are copies only by Jaccard.
local function similarity(mine, theirs)
  local j = math.max(0, (equal_values(mine, theirs) / PERMS - CHANCE) / (1 - CHANCE))
  if j == 0 then
    return 0, 0
  end
  local my_size, their_size = struct.unpack("<I4", mine), struct.unpack("<I4", theirs)
  local smaller = math.min(my_size, their_size)
  if smaller < CONTAINMENT_MIN then
    return j, 0
  end
  return j, math.min(1, j * (my_size + their_size) / (1 + j) / smaller)
end

-- The best verified copy among the band hits, or nil: {bucket, record, containment}.
-- hits maps age * 2^32 + record (age 0: the current bucket) to the bands shared.
local function best_copy(record, hits)
  if record == "" or next(hits) == nil then
    return nil
  end
  -- most bands shared first; among equals the newest record, the likeliest original
  -- of a copy (copies follow their original; the oldest records are the first owners
  -- of every common phrase and would crowd the list). One number per candidate
  -- sorts in C, without a comparison function.
  local keys = {}
  for c, h in pairs(hits) do
    local n = c % 2 ^ 32
    keys[#keys + 1] = h * 2 ^ 40 + (255 - (c - n) / 2 ^ 32) * 2 ^ 32 + n
  end
  table.sort(keys)
  local best, best_c = nil, 0
  for k = #keys, math.max(1, #keys - max_candidates + 1), -1 do
    local key = keys[k] % 2 ^ 40
    local n = key % 2 ^ 32
    local d = day - (255 - (key - n) / 2 ^ 32)
    local other = stored(d, n)
    if other then
      local j, c = similarity(record, other)
      if (j >= tj or (c >= tc and j >= floor)) and c > best_c then
        best, best_c = {d, n}, c
      end
    end
  end
  return best and {best[1], best[2], best_c}
end

-- Record a unique article: its text (and URL) naming it, its signature, and the bands
-- not yet owned.
local function index(owner, record, fields, current)
  local w = {fields[2], owner}
  if fields[3] ~= NO_URL then
    w[#w + 1] = fields[3]
    w[#w + 1] = owner
  end
  if record ~= "" then
    local n = next_record
    next_record = n + 1
    redis.call("APPEND", stores[day], record)
    w[#w + 1] = record_field(n)
    w[#w + 1] = owner
    for i = 4, #fields do
      if not current[i] then
        w[#w + 1] = fields[i]
        w[#w + 1] = n
      end
    end
  end
  redis.call("HSET", HASH, unpack(w))
  indexed = indexed + 1
end

local function duplicate(id_field, kind, owner, similarity)
  redis.call("HSET", HASH, id_field, KIND_CODE[kind] .. similarity .. "|" .. owner)
  return {kind, owner, similarity}
end

local function decide(owner, record, fields)
  local seen, text_owner, url_owner, current = nil, nil, nil, nil
  local hits = {}
  for d = day, oldest, -1 do
    local v = redis.call("HMGET", hashes[d], unpack(fields))
    if d == day then
      current = v
    end
    seen = v[1]
    if seen then
      break
    end
    text_owner = text_owner or v[2]
    url_owner = url_owner or v[3]
    for i = 4, #fields do
      local n = v[i]
      if n then
        local c = (day - d) * 2 ^ 32 + tonumber(n)
        hits[c] = (hits[c] or 0) + 1
      end
    end
  end
  -- 1. the same article again: repeat its first verdict
  if seen then
    if seen == "u" then
      return {"redelivery", owner, "1"}
    end
    local bar = string.find(seen, "|", 1, true)
    return {CODE_KIND[string.sub(seen, 1, 1)], string.sub(seen, bar + 1), string.sub(seen, 2, bar - 1)}
  end
  -- a unique article again: its text (or URL) is indexed under its own name
  if text_owner == owner or url_owner == owner then
    return {"redelivery", owner, "1"}
  end
  -- 2. exact copies: same normalised text, same canonical URL
  if text_owner then
    return duplicate(fields[1], "exact_text", text_owner, "1")
  end
  if url_owner then
    return duplicate(fields[1], "canonical_url", url_owner, "1")
  end
  -- 3. near copies: LSH band hits, verified against the stored signatures
  local best = best_copy(record, hits)
  if best then
    local name = redis.call("HGET", hashes[best[1]], record_field(best[2]))
    if name == owner then
      -- an earlier version under the same owner (edited in place): not its own duplicate
      return {"redelivery", owner, "1"}
    elseif name then
      return duplicate(fields[1], "near", name, string.format("%.4f", best[3]))
    end
  end
  -- 4. unique
  index(owner, record, fields, current)
  return {"unique", owner, "1"}
end

local out = {}
local formats = {}
local p = 11
for k = 1, tonumber(ARGV[10]) do
  local packed = ARGV[p + 2]
  local bands = (#packed - 26) / 4
  formats[bands] = formats[bands] or "c9c8c9" .. string.rep("c4", bands)
  local fields = {struct.unpack(formats[bands], packed)}
  fields[#fields] = nil -- struct.unpack also returns the next position
  out[k] = decide(ARGV[p], ARGV[p + 1], fields)
  p = p + 3
end
if indexed > 0 then
  redis.call("HINCRBY", HASH, "c", indexed)
  redis.call("EXPIREAT", stores[day], ARGV[3])
end
redis.call("EXPIREAT", HASH, ARGV[3])
return out
