export { addressKey } from "./address-key.js";
export { digestKey } from "./digest-key.js";
export {
  type FixedWindowLimiterOptions,
  fixedWindowLimiter,
  retryAfterSeconds,
} from "./fixed-window-limiter.js";
export { limiterRedis } from "./limiter-redis.js";
