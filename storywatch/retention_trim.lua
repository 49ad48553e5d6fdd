-- Trim one stream below the oldest entry anyone may still need, atomically.
-- KEYS[1]: the stream. ARGV[1]: retention in ms (entries younger than this are kept);
-- ARGV[2]: "1" to trim, "0" for a dry run; ARGV[3..]: groups that must exist first.
-- Returns {floor id, entries removed, what limits the floor}. Nothing at or above the
-- floor is removed, and the floor is never above any group's first pending entry or
-- above anything it has not been delivered yet.

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return {tonumber(ms), tonumber(seq)}
end
local function less(a, b)
  return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2])
end
local function not_above(a, b)
  return not less(b, a)
end
local function fmt(p)
  return string.format('%.0f-%.0f', p[1], p[2])
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'0-0', 0, 'no stream'}
end
local now = redis.call('TIME')
local cutoff_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[1])
if cutoff_ms < 0 then cutoff_ms = 0 end
local floor = {cutoff_ms, 0}
local reason = 'age'

local groups = {}
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local info = {}
  for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
  groups[info['name']] = info
end
for i = 3, #ARGV do
  if groups[ARGV[i]] == nil then
    return {'0-0', 0, 'group ' .. ARGV[i] .. ' missing'}
  end
end
for name, info in pairs(groups) do
  local delivered = parse(info['last-delivered-id'])
  local next_undelivered = {delivered[1], delivered[2] + 1}
  if not_above(next_undelivered, floor) then  -- on a tie the group is named: it would hold the floor anyway
    floor = next_undelivered
    reason = 'group ' .. name .. ' not delivered'
  end
  if tonumber(info['pending']) > 0 then
    local first_pending = parse(redis.call('XPENDING', KEYS[1], name)[2])
    if not_above(first_pending, floor) then
      floor = first_pending
      reason = 'group ' .. name .. ' pending'
    end
  end
end

local removed = 0
if ARGV[2] == '1' then
  removed = redis.call('XTRIM', KEYS[1], 'MINID', fmt(floor))
end
return {fmt(floor), removed, reason}
