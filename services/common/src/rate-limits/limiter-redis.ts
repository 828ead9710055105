import { Redis } from "ioredis";
import type { Logger } from "../logging/logger.js";

/**
 * A Redis client for rate limiters. No offline queue: while Redis is unreachable (at start-up too)
 * each command fails at once, so the limiter's in-process insurance counts and no call waits for
 * Redis. The outage is logged once, not per reconnection attempt, and so is the recovery.
 */
export function limiterRedis(url: string, logger: Logger, purpose: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false });
  let down = false;
  redis.on("error", (error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, `${purpose}: Redis unreachable, counting in-process`);
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info(`${purpose}: Redis reachable again`);
  });
  return redis;
}
