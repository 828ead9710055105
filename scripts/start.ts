/**
 * `npm start`: the whole exchange in one process on one machine, with no external servers.
 * Every service listens on its own ports, as it would in its own container.
 */

import {
  loadConfig,
  loadInfrastructureConfig,
  lockConfigOf,
  portVar,
  type RunningService,
  type ServiceDefinition,
  startService,
  stopOnSignals,
  storeConfigOf,
} from "@bourse/common";
import { createLockService } from "@bourse/common/locks";
import { createStore } from "@bourse/common/storage";
import { inventoryService } from "@bourse/inventory";
import { matchingService } from "@bourse/matching";
import { ordersService } from "@bourse/orders";
import { usersService } from "@bourse/users";
import { z } from "zod";

const launcherConfig = loadConfig(
  "launcher",
  z.object({
    BIND_HOST: z.string().min(1).default("127.0.0.1"),
    USERS_RPC_PORT: portVar(50051),
    USERS_ADMIN_PORT: portVar(9101),
    INVENTORY_RPC_PORT: portVar(50052),
    INVENTORY_ADMIN_PORT: portVar(9102),
    ORDERS_RPC_PORT: portVar(50053),
    ORDERS_ADMIN_PORT: portVar(9103),
    MATCHING_RPC_PORT: portVar(50054),
    MATCHING_ADMIN_PORT: portVar(9104),
  }),
  process.env,
);

const plan: Array<{ definition: ServiceDefinition; rpcPort: number; adminPort: number }> = [
  {
    definition: usersService,
    rpcPort: launcherConfig.USERS_RPC_PORT,
    adminPort: launcherConfig.USERS_ADMIN_PORT,
  },
  {
    definition: inventoryService,
    rpcPort: launcherConfig.INVENTORY_RPC_PORT,
    adminPort: launcherConfig.INVENTORY_ADMIN_PORT,
  },
  {
    definition: ordersService,
    rpcPort: launcherConfig.ORDERS_RPC_PORT,
    adminPort: launcherConfig.ORDERS_ADMIN_PORT,
  },
  {
    definition: matchingService,
    rpcPort: launcherConfig.MATCHING_RPC_PORT,
    adminPort: launcherConfig.MATCHING_ADMIN_PORT,
  },
];

const infrastructure = loadInfrastructureConfig("launcher", process.env);
const store = createStore(storeConfigOf(infrastructure));
const locks = createLockService(lockConfigOf(infrastructure));

const running: RunningService[] = [];
const log = (message: string) => process.stdout.write(`[bourse] ${message}\n`);
stopOnSignals(() => running, log);

for (const { definition, rpcPort, adminPort } of plan) {
  const env = {
    ...process.env,
    BIND_HOST: launcherConfig.BIND_HOST,
    RPC_PORT: String(rpcPort),
    ADMIN_PORT: String(adminPort),
  };
  running.push(await startService(definition, { env, store, locks }));
}

const storeLabel =
  infrastructure.STORE === "memory"
    ? "embedded in-memory store"
    : `DynamoDB table ${infrastructure.DYNAMODB_TABLE}`;
const lockLabel = infrastructure.LOCKS === "memory" ? "in-process locks" : "Redis locks";
log(`Bourse is running (${storeLabel}, ${lockLabel}). Ctrl-C stops it.`);
for (const service of running) {
  log(`  ${service.name.padEnd(10)} rpc ${service.rpcUrl}   admin ${service.adminUrl}/metrics`);
}
