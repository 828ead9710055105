/**
 * Issues the next fencing token only to the current holder. KEYS: lock key, fence key. ARGV: lock value.
 * Checking the holder and incrementing in one script means a holder whose lease lapsed before this
 * runs gets no token at all, instead of one newer than the next holder's.
 * The fence hash remembers which lock value the newest token belongs to, for the check below.
 * Returns the token as a string so it survives beyond 2^53, or nil when the lock is not held.
 */
export const ISSUE_TOKEN_SCRIPT = `
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return false
end
local token = redis.call("HINCRBY", KEYS[2], "token", 1)
redis.call("HSET", KEYS[2], "holder", ARGV[1])
return tostring(token)
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
