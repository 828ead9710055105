export {
  createGatewayRateLimiter,
  type GatewayRateLimiter,
  type GatewayRateLimiterOptions,
  type RateDecision,
} from "./gateway-rate-limiter.js";
export { methodCost } from "./method-cost.js";
export { type RateLimitConfig, rateLimitConfigSchema } from "./rate-limit-config.js";
export {
  loginEmailOf,
  type RateLimitInterceptorOptions,
  type RateLimitInterceptors,
  rateLimitInterceptors,
} from "./rate-limit-interceptor.js";
