import type { ColocatedServices } from "@bourse/common";
import type { EmbeddedStateClientOptions } from "@bourse/common/embedded-state";
import { MemoryUserEventLog } from "./memory-user-event-log.js";
import { RedisUserEventLog } from "./redis-user-event-log.js";
import { RemoteUserEventLog } from "./remote-user-event-log.js";
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
 * The process's user event log: on Redis when `redisUrl` is set (shared by every replica), else the log of
 * the launcher's embedded state service when `embeddedState` is given (shared by the processes of
 * `npm start`), otherwise in memory, which then reaches only the services of this process (`npm start
 * --all-in-one`). The first service to ask makes it and offers it to the others through `colocated`, so the
 * orders and matching services of one process append to, and stream from, the same log.
 */
export function acquireUserEventLog(
  colocated: ColocatedServices,
  redisUrl?: string,
  embeddedState?: EmbeddedStateClientOptions,
): UserEventLogHandle {
  let shared = colocated.lookup<Shared>(SHARED_NAME);
  if (shared === undefined) {
    const log = openUserEventLog(redisUrl, embeddedState);
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

function openUserEventLog(redisUrl?: string, embeddedState?: EmbeddedStateClientOptions): UserEventLog {
  if (redisUrl !== undefined) return new RedisUserEventLog({ url: redisUrl });
  if (embeddedState !== undefined) return new RemoteUserEventLog(embeddedState);
  return new MemoryUserEventLog();
}
