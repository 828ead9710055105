/**
 * `npm start`: the whole exchange on one machine, with no external servers. Every service listens on its
 * own ports, as it would in its own container, and finds the others at the ports this run gave them.
 *
 * By default each service, and the gateway, runs as its own process under a supervisor; this launcher
 * hosts what they would otherwise keep in memory (the embedded store, the locks, the user event log) and
 * serves it to them through the embedded state service. With `--all-in-one` they all run in this process
 * and share its memory instead.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  ColocatedServices,
  ConfigError,
  createLogger,
  type InfrastructureConfig,
  type Logger,
  loadInfrastructureConfig,
  lockConfigOf,
  type RunningService,
  type ServiceDefinition,
  startService,
  stopOnSignals,
  storeConfigOf,
} from "@bourse/common";
import { busConfigOf, createBus } from "@bourse/common/bus";
import { createLockService, type LockService } from "@bourse/common/locks";
import {
  createDynamoDbClient,
  createStore,
  ensureTable,
  openPersistentMemoryStore,
  type Store,
} from "@bourse/common/storage";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import { inventoryService } from "@bourse/inventory";
import { marketMakerService } from "@bourse/marketmaker";
import { matchingService } from "@bourse/matching";
import { ordersService } from "@bourse/orders";
import { MemoryUserEventLog } from "@bourse/trading/user-events";
import { usersService } from "@bourse/users";
import { embeddedStateEnv, embeddedStateService } from "./embedded-state.js";
import {
  type AssignedPorts,
  assignFreePorts,
  dialHost,
  embeddedPartsOf,
  environmentFromFlags,
  hostsEmbeddedState,
  type LaunchedService,
  type LauncherConfig,
  launchedServices,
  loadLauncherConfig,
  type ProcessLaunch,
  processPlan,
  requestedGatewayPorts,
  requestedPorts,
  sharedEnvironment,
} from "./launch-plan.js";
import { type SupervisedChild, Supervisor } from "./supervisor.js";

const definitions: Record<LaunchedService, ServiceDefinition> = {
  users: usersService,
  inventory: inventoryService,
  orders: ordersService,
  matching: matchingService,
  marketmaker: marketMakerService,
};

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));

/** Where a service or the gateway listens, as the "Bourse is running" line reports it. */
interface ServiceEndpoints {
  readonly name: string;
  readonly rpc: string;
  readonly admin: string;
}

interface PublicEndpoints {
  readonly http: string;
  readonly grpc: string;
  readonly admin: string;
}

interface Exchange {
  readonly services: readonly ServiceEndpoints[];
  readonly gateway: PublicEndpoints;
}

/** A process's exit before it was ready: the launcher gives up, with its exit code (2 for bad config). */
class ProcessFailedError extends Error {
  constructor(
    readonly processName: string,
    readonly exitCode: number,
  ) {
    super(`${processName} exited (code ${exitCode}) before it was ready`);
  }
}

/** What to stop, latest started first: the services before the state they use. */
const stopsInOrder: Array<() => Promise<void>> = [];
const shutdown = {
  async stop() {
    for (const stop of stopsInOrder.splice(0).reverse()) await stop();
  },
};

async function start(): Promise<void> {
  Object.assign(process.env, environmentFromFlags(process.argv.slice(2)));
  const launcher = loadLauncherConfig(process.env);
  const ports = await assignFreePorts(
    launcher.BIND_HOST,
    requestedPorts(launcher),
    requestedGatewayPorts(launcher),
  );
  const shared = sharedEnvironment(process.env, launcher.BIND_HOST, ports.services, {
    stdoutIsTerminal: process.stdout.isTTY === true,
  });
  const logger = createLogger("bourse", { format: shared.LOG_FORMAT === "pretty" ? "pretty" : "json" });
  stopOnSignals(
    () => [shutdown],
    (message) => logger.info(message),
  );

  const infrastructure = loadInfrastructureConfig("launcher", process.env);
  if (launcher.BOURSE_DATA_DIR !== undefined && infrastructure.STORE !== "memory") {
    throw new ConfigError("launcher", [
      "BOURSE_DATA_DIR (--data-dir) keeps the embedded store on disk: it has no use with STORE=dynamodb",
    ]);
  }
  if (infrastructure.STORE === "dynamodb" && infrastructure.DYNAMODB_ENDPOINT !== undefined) {
    // A local endpoint (`--dynamodb`, `npm run dev:deps`) starts empty: make the table as db:init would.
    await ensureLocalTable(infrastructure);
  }
  const store = await openStore(infrastructure, launcher.BOURSE_DATA_DIR);
  stopsInOrder.push(async () => store.close());
  const locks = createLockService(lockConfigOf(infrastructure));

  const exchange = launcher.BOURSE_ALL_IN_ONE
    ? await startInThisProcess(launcher, ports, shared, { store, locks, infrastructure })
    : await startProcesses(launcher, ports, shared, { store, locks, infrastructure, logger });

  const mode = launcher.BOURSE_ALL_IN_ONE ? "all in one process" : "one process per service";
  const storeLabel =
    infrastructure.STORE === "dynamodb"
      ? `DynamoDB table ${infrastructure.DYNAMODB_TABLE}`
      : launcher.BOURSE_DATA_DIR === undefined
        ? "embedded in-memory store"
        : `embedded store kept in ${launcher.BOURSE_DATA_DIR}`;
  const lockLabel = infrastructure.LOCKS === "memory" ? "in-process locks" : "Redis locks";
  const { gateway, services } = exchange;
  logger.info(
    { services, gateway },
    `Bourse is running (${mode}; ${storeLabel}, ${lockLabel}) at ${gateway.http}. Ctrl-C stops it.`,
  );
  logger.info(
    `  gateway    ${gateway.http} (Connect, gRPC-Web)   ${gateway.grpc} (gRPC)   admin ${gateway.admin}/metrics`,
  );
  for (const service of services) {
    logger.info(`  ${service.name.padEnd(10)} rpc ${service.rpc}   admin ${service.admin}/metrics`);
  }
}

interface SharedState {
  readonly store: Store;
  readonly locks: LockService;
  readonly infrastructure: InfrastructureConfig;
}

/** `--all-in-one`: every service and the gateway in this process, on one store, lock service and bus. */
async function startInThisProcess(
  launcher: LauncherConfig,
  ports: AssignedPorts,
  shared: Record<string, string>,
  { store, locks, infrastructure }: SharedState,
): Promise<Exchange> {
  const bus = createBus(busConfigOf(infrastructure.REDIS_URL));
  const colocated = new ColocatedServices();
  const running: RunningService[] = [];
  stopsInOrder.push(async () => {
    await Promise.all(running.map((service) => service.stop()));
  });
  for (const name of launchedServices) {
    const env = {
      ...process.env,
      ...shared,
      BIND_HOST: launcher.BIND_HOST,
      RPC_PORT: String(ports.services[name].rpc),
      ADMIN_PORT: String(ports.services[name].admin),
    };
    running.push(await startService(definitions[name], { env, store, locks, bus, colocated }));
  }

  // The public entry starts last, once every service it forwards to listens.
  let gateway: RunningGateway | undefined;
  stopsInOrder.push(async () => gateway?.stop());
  gateway = await createGateway({
    env: {
      ...process.env,
      ...shared,
      BIND_HOST: launcher.BIND_HOST,
      GATEWAY_HTTP_PORT: String(ports.gateway.http),
      GATEWAY_GRPC_PORT: String(ports.gateway.grpc),
      GATEWAY_ADMIN_PORT: String(ports.gateway.admin),
    },
  });
  return {
    services: running.map((service) => ({
      name: service.name,
      rpc: service.rpcUrl,
      admin: service.adminUrl,
    })),
    gateway: { http: gateway.httpUrl, grpc: gateway.grpcUrl, admin: gateway.adminUrl },
  };
}

/**
 * The default: this process hosts the embedded state (only the parts that are embedded) and runs each
 * service, then the gateway, as its own process under the supervisor, each started once the one before
 * it is ready.
 */
async function startProcesses(
  launcher: LauncherConfig,
  ports: AssignedPorts,
  shared: Record<string, string>,
  { store, locks, infrastructure, logger }: SharedState & { readonly logger: Logger },
): Promise<Exchange> {
  let embeddedStateUrl: string | undefined;
  const embedded = embeddedPartsOf(infrastructure);
  if (hostsEmbeddedState(embedded)) {
    const userEvents = embedded.userEvents ? new MemoryUserEventLog() : undefined;
    const served = {
      store: embedded.store ? store : undefined,
      locks: embedded.locks ? locks : undefined,
      userEvents,
    };
    const state = await startService(embeddedStateService(served), {
      env: { ...process.env, ...shared, RPC_PORT: "0", ADMIN_PORT: "0", ...embeddedStateEnv },
      store,
      locks,
    });
    stopsInOrder.push(async () => {
      await state.stop();
      await userEvents?.close();
    });
    embeddedStateUrl = state.rpcUrl;
  }

  const launches = processPlan({
    env: process.env,
    shared,
    bindHost: launcher.BIND_HOST,
    ports,
    embeddedStateUrl,
  });
  const supervisor = new Supervisor({
    stdout: process.stdout,
    stderr: process.stderr,
    log: (message) => logger.info(message),
    nameWidth: Math.max(...launches.map((launch) => launch.name.length)),
  });
  stopsInOrder.push(() => supervisor.stop());
  for (const launch of launches) {
    const child = supervisor.start({
      name: launch.name,
      command: process.execPath,
      args: ["--import", "tsx", launch.entry],
      env: launch.env,
      cwd: repositoryRoot,
    });
    await untilReady(child, launch);
  }

  const host = dialHost(launcher.BIND_HOST);
  const url = (port: number) => `http://${host}:${port}`;
  return {
    services: launchedServices.map((name) => ({
      name,
      rpc: url(ports.services[name].rpc),
      admin: url(ports.services[name].admin),
    })),
    gateway: {
      http: url(ports.gateway.http),
      grpc: url(ports.gateway.grpc),
      admin: url(ports.gateway.admin),
    },
  };
}

/** Polls the process's /readyz until it answers 200; fails if the process exits first. */
async function untilReady(child: SupervisedChild, launch: ProcessLaunch): Promise<void> {
  for (;;) {
    if (child.lastExit !== undefined) {
      throw new ProcessFailedError(launch.name, child.lastExit.code ?? 1);
    }
    try {
      const response = await fetch(`${launch.adminUrl}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
}

async function openStore(config: InfrastructureConfig, dataDir: string | undefined): Promise<Store> {
  if (dataDir === undefined) return createStore(storeConfigOf(config));
  return openPersistentMemoryStore(dataDir);
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
  await shutdown.stop();
  if (error instanceof ProcessFailedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode === 0 ? 1 : error.exitCode);
  }
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
