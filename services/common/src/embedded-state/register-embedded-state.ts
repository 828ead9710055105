import type { ConnectRouter } from "@connectrpc/connect";
import type { LockService } from "../locks/lock-service.js";
import type { Store } from "../storage/store.js";
import { registerLockRoutes } from "./lock-routes.js";
import { registerStoreRoutes } from "./store-routes.js";

export interface EmbeddedStatePorts {
  /** Served as EmbeddedStoreService when given (the store is embedded). */
  readonly store?: Store;
  /** Served as EmbeddedLockService when given (the locks are in-process). */
  readonly locks?: LockService;
  /** The service credential every call must present. */
  readonly credential: string;
}

/**
 * Serves the launcher's embedded store and locks to the services it runs as child processes, which reach
 * them through RemoteStore and RemoteLockService.
 */
export function registerEmbeddedState(router: ConnectRouter, ports: EmbeddedStatePorts): void {
  if (ports.store) registerStoreRoutes(router, ports.store, ports.credential);
  if (ports.locks) registerLockRoutes(router, ports.locks, ports.credential);
}
