import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { LockService } from "../locks/lock-service.js";
import { MemoryLockService } from "../locks/memory-lock-service.js";
import { RedisLockService } from "../locks/redis-lock-service.js";

/** A lock store as its contenders see it, with the two things lock tests make happen to it. */
export interface LockHarness {
  /** A lock service for one contender, starting now; every service of a harness shares the same locks. */
  open(): LockService;
  /** The lock store loses every lock and token counter: a Redis flush, failover or eviction. */
  lose(): Promise<void>;
  /** Lets `ms` of lease time pass; the in-process store moves its clock, Redis really waits. */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** In-process locks on a clock that only `pass` moves. */
export function memoryLockHarness(): LockHarness {
  let now = 1_700_000_000_000;
  let current = new MemoryLockService({ now: () => now });
  return {
    open: () => current,
    // A new in-process lock service knows no lock and no counter, like a restarted process.
    lose: async () => {
      current = new MemoryLockService({ now: () => now });
    },
    pass: async (ms) => {
      now += ms;
    },
    close: () => current.close(),
  };
}

/** Locks on the Redis at `url`, under a key prefix of their own. */
export function redisLockHarness(url: string): LockHarness {
  let keyPrefix = `test:${randomUUID()}:`;
  const opened: LockService[] = [];
  return {
    open: () => {
      const service = new RedisLockService({ url, keyPrefix });
      opened.push(service);
      return service;
    },
    // Contenders from now on meet a Redis with no lock and no counter, as after a failover to an empty replica.
    lose: async () => {
      keyPrefix = `test:${randomUUID()}:`;
    },
    pass: (ms) => sleep(ms),
    close: async () => {
      await Promise.all(opened.map((service) => service.close()));
    },
  };
}
