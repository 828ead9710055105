export type { LockServiceConfig } from "./create-lock-service.js";
export { createLockService } from "./create-lock-service.js";
export { LockError, LockLostError, LockUnavailableError } from "./errors.js";
export type { AcquireOptions, Lease, LockService, RetryPolicy } from "./lock-service.js";
export type { MemoryLockServiceOptions } from "./memory-lock-service.js";
export { MemoryLockService } from "./memory-lock-service.js";
export type { RedisLockServiceOptions } from "./redis-lock-service.js";
export { RedisLockService } from "./redis-lock-service.js";
