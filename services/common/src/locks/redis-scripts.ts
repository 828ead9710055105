/**
 * Issues the next fencing token only to the current holder. KEYS: lock key, fence key. ARGV: lock
 * value, lowest token to issue (decimal digits, no leading zeros).
 * Checking the holder and incrementing in one script means a holder whose lease lapsed before this
 * runs gets no token at all, instead of one newer than the next holder's.
 * The token is the larger of the incremented counter and the lowest token, and the counter moves up
 * to it. Lua numbers are doubles, so the script never formats or compares the token as a number:
 * Redis keeps the counter as exact 64-bit decimal digits, which HGET returns and the comparison reads
 * as strings (a longer digit string is the larger number). The token comes back as a string, or nil
 * when the lock is not held.
 * The fence hash remembers which lock value the newest token belongs to, for the check below.
 */
export const ISSUE_TOKEN_SCRIPT = `
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return false
end
redis.call("HINCRBY", KEYS[2], "token", 1)
local token = redis.call("HGET", KEYS[2], "token")
local lowest = ARGV[2]
if #lowest > #token or (#lowest == #token and lowest > token) then
  redis.call("HSET", KEYS[2], "token", lowest)
  token = lowest
end
redis.call("HSET", KEYS[2], "holder", ARGV[1])
return token
`;

/**
 * Returns 1 when ARGV[1] is the newest token and the lease it was issued to still holds the lock.
 * KEYS: lock key, fence key.
 */
export const CHECK_TOKEN_SCRIPT = `
local fence = redis.call("HMGET", KEYS[2], "token", "holder")
if fence[1] ~= ARGV[1] or not fence[2] then
  return 0
end
if redis.call("GET", KEYS[1]) ~= fence[2] then
  return 0
end
return 1
`;
