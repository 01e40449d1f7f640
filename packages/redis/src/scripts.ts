/**
 * The Lua scripts that make shared state atomic: each runs as one step in Redis, so two replicas
 * can never both take the last dollar of a budget. Money stays in integer picodollars as decimal
 * strings (HINCRBY is exact on 64-bit integers, up to $9.2M per bucket); Lua compares them as
 * doubles, exact up to $9,007 per bucket and within a picodollar beyond.
 */

/**
 * Takes an amount held (a decimal integer string) off a bucket's `reserved`. A zero is skipped:
 * Redis refuses "-0" as an integer, and a free model's reservation holds 0.
 */
const RELEASE = `local function release(key, amount)
  if amount ~= '0' then redis.call('HINCRBY', key, 'reserved', '-' .. amount) end
end`;

/** Milliseconds of Redis's own clock: every replica reads the same one. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Reserves an amount in every bucket or in none.
 * KEYS: one hash per bucket (`spent`, `reserved`, and `r:<id>` = `amount:leaseUntilMs` per
 * reservation in flight). ARGV: amount, reservation id, lease ms, then each bucket's limit, then
 * each bucket's expiry (epoch ms). Returns `{0}`, or `{index, spent, reserved}` of the bucket that
 * refused. Before refusing, reservations whose lease ran out (their replica died) are released
 * and marked `x:<id>` so that a late settlement still counts its spend once.
 */
export const RESERVE = `${NOW}
${RELEASE}
local n = #KEYS
local amount = tonumber(ARGV[1])
local function over(i)
  local v = redis.call('HMGET', KEYS[i], 'spent', 'reserved')
  local spent = v[1] or '0'
  local reserved = v[2] or '0'
  return tonumber(spent) + tonumber(reserved) + amount > tonumber(ARGV[3 + i]), spent, reserved
end
for i = 1, n do
  local refused, spent, reserved = over(i)
  if refused then
    local fields = redis.call('HGETALL', KEYS[i])
    for j = 1, #fields, 2 do
      local field = fields[j]
      if string.sub(field, 1, 2) == 'r:' then
        local value = fields[j + 1]
        local sep = string.find(value, ':', 1, true)
        if tonumber(string.sub(value, sep + 1)) < now then
          redis.call('HDEL', KEYS[i], field)
          redis.call('HSET', KEYS[i], 'x:' .. string.sub(field, 3), '1')
          release(KEYS[i], string.sub(value, 1, sep - 1))
        end
      end
    end
    refused, spent, reserved = over(i)
    if refused then return {i, spent, reserved} end
  end
end
local lease = ARGV[1] .. ':' .. tostring(now + tonumber(ARGV[3]))
for i = 1, n do
  redis.call('HINCRBY', KEYS[i], 'reserved', ARGV[1])
  redis.call('HSET', KEYS[i], 'r:' .. ARGV[2], lease)
  redis.call('PEXPIREAT', KEYS[i], ARGV[3 + n + i])
end
return {0}`;

/** Releases reservation `id` in the buckets `KEYS[1..last]` and adds `actual`, exactly once. */
const SETTLE_BUCKETS = `${RELEASE}
local function settle(last, id, actual)
  for i = 1, last do
    local held = redis.call('HGET', KEYS[i], 'r:' .. id)
    if held then
      redis.call('HDEL', KEYS[i], 'r:' .. id)
      local sep = string.find(held, ':', 1, true)
      release(KEYS[i], string.sub(held, 1, sep - 1))
      redis.call('HINCRBY', KEYS[i], 'spent', actual)
    elseif redis.call('HDEL', KEYS[i], 'x:' .. id) == 1 then
      redis.call('HINCRBY', KEYS[i], 'spent', actual)
    end
  end
end`;

/**
 * Settles a reservation exactly once: releases what it held and adds the actual cost. Replaying
 * a settlement (after a lost reply) changes nothing. KEYS: the buckets. ARGV: reservation id,
 * actual amount.
 */
export const SETTLE = `${SETTLE_BUCKETS}
settle(#KEYS, ARGV[1], ARGV[2])
return 0`;

/**
 * A settlement and the ledger entry of the same attempt in one call (they are issued together).
 * KEYS: the buckets, then the ledger stream. ARGV: reservation id, actual amount, entry id, entry.
 */
export const SETTLE_AND_APPEND = `${SETTLE_BUCKETS}
settle(#KEYS - 1, ARGV[1], ARGV[2])
redis.call('XADD', KEYS[#KEYS], '*', 'id', ARGV[3], 'e', ARGV[4])
return 0`;

/**
 * Counts a failure of a target fleet-wide and opens its breaker at the threshold (or re-opens it
 * when a probe failed after the cooldown), publishing `open|remainingMs|key`.
 * KEYS: the breakers hash (key -> openedAt), the target's failure set. ARGV: key, threshold,
 * windowMs, cooldownMs, channel.
 */
export const BREAKER_FAILURE = `${NOW}
local key = ARGV[1]
local cooldown = tonumber(ARGV[4])
local openedAt = redis.call('HGET', KEYS[1], key)
local open = false
if openedAt then
  if now - tonumber(openedAt) < cooldown then return 0 end
  open = true
else
  redis.call('ZADD', KEYS[2], now, tostring(now) .. ':' .. tostring(math.random()))
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  open = redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2])
end
if not open then return 0 end
redis.call('HSET', KEYS[1], key, now)
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[5], 'open|' .. cooldown .. '|' .. key)
return 1`;

/**
 * A success after failures: clears the target's failures and closes its breaker fleet-wide,
 * publishing `close|0|key` if it was open. KEYS: breakers hash, failure set.
 * ARGV: key, channel.
 */
export const BREAKER_SUCCESS = `redis.call('DEL', KEYS[2])
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('PUBLISH', ARGV[2], 'close|0|' .. ARGV[1])
end
return 0`;

/** The open breakers as `{now, key1, openedAt1, ...}`. KEYS: the breakers hash. */
export const BREAKER_STATE = `${NOW}
local result = {tostring(now)}
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields do result[#result + 1] = fields[i] end
return result`;

/**
 * Folds a batch of latency samples into the fleet's estimate, as the core's `foldLatency` does
 * locally: an exponentially weighted average that keeps its weight, `count` samples moving it as
 * far as `count` samples in a row would, and its weight halving every half-life (on Redis's clock)
 * so that a target that recovered is believed fleet-wide after a few probes, or after one when
 * the last sample is old. Stored as `value|weight|atMs` (a bare value, as older versions wrote it,
 * reads at full weight). KEYS: the latency hash. ARGV: key, mean ms, count, weight of a sample,
 * half-life ms.
 */
export const LATENCY = `${NOW}
local mean = tonumber(ARGV[2])
local kept = (1 - tonumber(ARGV[4])) ^ tonumber(ARGV[3])
local value, weight = 0, 0
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local fields = {}
  for part in string.gmatch(current, '[^|]+') do fields[#fields + 1] = part end
  value = tonumber(fields[1]) or mean
  weight = tonumber(fields[2]) or 1
  local elapsed = math.max(0, now - (tonumber(fields[3]) or now))
  weight = weight * 0.5 ^ (elapsed / tonumber(ARGV[5]))
end
local total = kept * weight + (1 - kept)
value = (value * kept * weight + mean * (1 - kept)) / total
redis.call('HSET', KEYS[1], ARGV[1], tostring(value) .. '|' .. tostring(total) .. '|' .. tostring(now))
return 0`;
