/**
 * The embedded state service of `npm start`: the launcher keeps the embedded store, the in-process locks and
 * the in-memory user event log, and serves them to the services it runs as child processes, which reach them
 * through RemoteStore, RemoteLockService and RemoteUserEventLog (EMBEDDED_STATE_URL). Internal: it answers
 * only calls that present SERVICE_CREDENTIAL, and `embeddedStateEnv` binds it to loopback.
 */

import { loadConfig, type ServiceDefinition } from "@bourse/common";
import { serviceCredentialVar } from "@bourse/common/auth";
import { registerEmbeddedState } from "@bourse/common/embedded-state";
import type { LockService } from "@bourse/common/locks";
import type { Store } from "@bourse/common/storage";
import { registerEmbeddedUserEvents, type UserEventLog } from "@bourse/trading/user-events";
import { z } from "zod";

/** The parts of the state that are embedded; each one given is served, the others are not. */
export interface EmbeddedStatePorts {
  /** The embedded store (STORE=memory). */
  readonly store?: Store;
  /** The in-process locks (LOCKS=memory). */
  readonly locks?: LockService;
  /** The in-memory user event log (no REDIS_URL). */
  readonly userEvents?: UserEventLog;
}

const MESSAGE_BYTES = 128 * 1024 * 1024;

/**
 * What the state service's environment must add to the launcher's (B passes it to `startService`): loopback
 * only, and room for the largest calls its clients make, a transaction of 100 items of 400 KB (encoded, a
 * string may take two bytes a character) and their many concurrent calls over one connection per process.
 */
export const embeddedStateEnv: Readonly<Record<string, string>> = {
  BIND_HOST: "127.0.0.1",
  MAX_MESSAGE_BYTES: String(MESSAGE_BYTES),
  MAX_RESPONSE_BYTES: String(MESSAGE_BYTES),
  MAX_SESSION_MEMORY_MB: "512",
  MAX_CONCURRENT_STREAMS_PER_CONNECTION: "10000",
  // One per StreamMyOrders reader of the orders processes.
  MAX_OPEN_STREAMS: "100000",
};

/** The state service (name "state"), to run with `startService` in the launcher. */
export function embeddedStateService(ports: EmbeddedStatePorts): ServiceDefinition {
  return {
    name: "state",
    setup(context) {
      const { SERVICE_CREDENTIAL: credential } = loadConfig(
        "state",
        z.object({ SERVICE_CREDENTIAL: serviceCredentialVar }),
        context.env,
      );
      return {
        register(router) {
          registerEmbeddedState(router, { store: ports.store, locks: ports.locks, credential });
          if (ports.userEvents) registerEmbeddedUserEvents(router, { log: ports.userEvents, credential });
        },
      };
    },
  };
}
