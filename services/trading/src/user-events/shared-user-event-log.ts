import type { ColocatedServices } from "@bourse/common";
import { MemoryUserEventLog } from "./memory-user-event-log.js";
import { RedisUserEventLog } from "./redis-user-event-log.js";
import type { UserEventLog } from "./user-event-log.js";

/** The name the log is shared under among the services of one process. */
const SHARED_NAME = "bourse.trading.UserEventLog";

interface Shared {
  readonly log: UserEventLog;
  holders: number;
}

export interface UserEventLogHandle {
  readonly log: UserEventLog;
  /** Closes the log once every service of the process that took it has released it. */
  release(): Promise<void>;
}

/**
 * The process's user event log: on Redis when `redisUrl` is set (shared by every replica), otherwise in
 * memory, which then reaches only the services of this process (`npm start`). The first service to ask
 * makes it and offers it to the others through `colocated`, so the orders and matching services of one
 * process append to, and stream from, the same log.
 */
export function acquireUserEventLog(colocated: ColocatedServices, redisUrl?: string): UserEventLogHandle {
  let shared = colocated.lookup<Shared>(SHARED_NAME);
  if (shared === undefined) {
    const log = redisUrl === undefined ? new MemoryUserEventLog() : new RedisUserEventLog({ url: redisUrl });
    shared = { log, holders: 0 };
    colocated.provide(SHARED_NAME, shared);
  }
  const held = shared;
  held.holders++;
  let released = false;
  return {
    log: held.log,
    async release() {
      if (released) return;
      released = true;
      held.holders--;
      if (held.holders > 0) return;
      if (colocated.lookup(SHARED_NAME) === held) colocated.withdraw(SHARED_NAME);
      await held.log.close();
    },
  };
}
