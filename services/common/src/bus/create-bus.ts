import type { BusObserver } from "./bus-events.js";
import { MemoryBus } from "./memory-bus.js";
import type { MessageBus } from "./message-bus.js";
import { RedisBus } from "./redis-bus.js";

export type BusConfig = { kind: "memory" } | { kind: "redis"; url: string; channelPrefix?: string };

/** Redis when a URL is configured (every replica hears every other), otherwise in-process memory. */
export function busConfigOf(redisUrl: string | undefined, channelPrefix?: string): BusConfig {
  return redisUrl === undefined ? { kind: "memory" } : { kind: "redis", url: redisUrl, channelPrefix };
}

export function createBus(config: BusConfig, observer: BusObserver = {}): MessageBus {
  switch (config.kind) {
    case "memory":
      return new MemoryBus(observer);
    case "redis":
      return new RedisBus({ ...observer, url: config.url, channelPrefix: config.channelPrefix });
  }
}
