/**
 * `npm start`: the whole exchange in one process on one machine, with no external servers.
 * Every service listens on its own ports, as it would in its own container, and finds the others
 * at the ports this run gave them.
 */

import {
  ColocatedServices,
  ConfigError,
  createLogger,
  type InfrastructureConfig,
  loadInfrastructureConfig,
  lockConfigOf,
  type RunningService,
  type ServiceDefinition,
  startService,
  stopOnSignals,
  storeConfigOf,
} from "@bourse/common";
import { busConfigOf, createBus } from "@bourse/common/bus";
import { createLockService } from "@bourse/common/locks";
import { createDynamoDbClient, createStore, ensureTable } from "@bourse/common/storage";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import { inventoryService } from "@bourse/inventory";
import { marketMakerService } from "@bourse/marketmaker";
import { matchingService } from "@bourse/matching";
import { ordersService } from "@bourse/orders";
import { usersService } from "@bourse/users";
import {
  assignFreePorts,
  environmentFromFlags,
  type LaunchedService,
  launchedServices,
  loadLauncherConfig,
  requestedPorts,
  sharedEnvironment,
} from "./launch-plan.js";

const definitions: Record<LaunchedService, ServiceDefinition> = {
  users: usersService,
  inventory: inventoryService,
  orders: ordersService,
  matching: matchingService,
  marketmaker: marketMakerService,
};

const running: RunningService[] = [];
let gateway: RunningGateway | undefined;

async function start(): Promise<void> {
  Object.assign(process.env, environmentFromFlags(process.argv.slice(2)));
  const launcher = loadLauncherConfig(process.env);
  const ports = await assignFreePorts(launcher.BIND_HOST, requestedPorts(launcher));
  const shared = sharedEnvironment(process.env, launcher.BIND_HOST, ports, {
    stdoutIsTerminal: process.stdout.isTTY === true,
  });
  const logger = createLogger("bourse", { format: shared.LOG_FORMAT === "pretty" ? "pretty" : "json" });
  stopOnSignals(
    () => [...(gateway ? [gateway] : []), ...running],
    (message) => logger.info(message),
  );

  const infrastructure = loadInfrastructureConfig("launcher", process.env);
  if (infrastructure.STORE === "dynamodb" && infrastructure.DYNAMODB_ENDPOINT !== undefined) {
    // A local endpoint (`--dynamodb`, `npm run dev:deps`) starts empty: make the table as db:init would.
    await ensureLocalTable(infrastructure);
  }
  const store = createStore(storeConfigOf(infrastructure));
  const locks = createLockService(lockConfigOf(infrastructure));
  const bus = createBus(busConfigOf(infrastructure.REDIS_URL));
  const colocated = new ColocatedServices();
  for (const name of launchedServices) {
    const env = {
      ...process.env,
      ...shared,
      BIND_HOST: launcher.BIND_HOST,
      RPC_PORT: String(ports[name].rpc),
      ADMIN_PORT: String(ports[name].admin),
    };
    running.push(await startService(definitions[name], { env, store, locks, bus, colocated }));
  }

  // The public entry starts last, once every service it forwards to listens.
  gateway = await createGateway({
    env: {
      ...process.env,
      ...shared,
      BIND_HOST: launcher.BIND_HOST,
      GATEWAY_HTTP_PORT: String(launcher.GATEWAY_HTTP_PORT),
      GATEWAY_GRPC_PORT: String(launcher.GATEWAY_GRPC_PORT),
      GATEWAY_ADMIN_PORT: String(launcher.GATEWAY_ADMIN_PORT),
    },
  });

  const storeLabel =
    infrastructure.STORE === "memory"
      ? "embedded in-memory store"
      : `DynamoDB table ${infrastructure.DYNAMODB_TABLE}`;
  const lockLabel = infrastructure.LOCKS === "memory" ? "in-process locks" : "Redis locks";
  const endpoints = running.map((service) => ({
    name: service.name,
    rpc: service.rpcUrl,
    admin: service.adminUrl,
  }));
  const publicApi = { http: gateway.httpUrl, grpc: gateway.grpcUrl, admin: gateway.adminUrl };
  logger.info(
    { services: endpoints, gateway: publicApi },
    `Bourse is running (${storeLabel}, ${lockLabel}) at ${gateway.httpUrl}. Ctrl-C stops it.`,
  );
  logger.info(
    `  gateway    ${gateway.httpUrl} (Connect, gRPC-Web)   ${gateway.grpcUrl} (gRPC)   admin ${gateway.adminUrl}/metrics`,
  );
  for (const service of running) {
    logger.info(`  ${service.name.padEnd(10)} rpc ${service.rpcUrl}   admin ${service.adminUrl}/metrics`);
  }
}

async function ensureLocalTable(config: InfrastructureConfig): Promise<void> {
  const client = createDynamoDbClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  try {
    await ensureTable(client, config.DYNAMODB_TABLE);
  } finally {
    client.destroy();
  }
}

try {
  await start();
} catch (error) {
  await Promise.all([gateway?.stop(), ...running.map((service) => service.stop())]);
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
