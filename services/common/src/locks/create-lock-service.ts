import { RemoteLockService } from "../embedded-state/remote-lock-service.js";
import type { LockService } from "./lock-service.js";
import { MemoryLockService } from "./memory-lock-service.js";
import { RedisLockService } from "./redis-lock-service.js";

export type LockServiceConfig =
  | { kind: "memory" }
  | { kind: "redis"; url: string; keyPrefix?: string }
  /** The in-process locks of `npm start`'s launcher, reached through its embedded state service. */
  | { kind: "remote"; url: string; credential: string };

export function createLockService(config: LockServiceConfig): LockService {
  switch (config.kind) {
    case "memory":
      return new MemoryLockService();
    case "redis":
      return new RedisLockService({ url: config.url, keyPrefix: config.keyPrefix });
    case "remote":
      return new RemoteLockService(config);
  }
}
