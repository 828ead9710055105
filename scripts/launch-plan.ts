import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { parseArgs } from "node:util";
import { ConfigError, type Env, loadConfig, portVar } from "@bourse/common";
import { z } from "zod";

/**
 * The services `npm start` runs, in the order it starts them. The market maker comes last: it is a
 * client of the others, and waits for them with backoff.
 */
export const launchedServices = ["users", "inventory", "orders", "matching", "marketmaker"] as const;
export type LaunchedService = (typeof launchedServices)[number];

export interface ServicePorts {
  readonly rpc: number;
  readonly admin: number;
}

export type PortPlan = Record<LaunchedService, ServicePorts>;

/**
 * The launcher's own variables: where each service and the gateway listen (0 picks a free port). Nothing
 * calls the gateway, so its ports need not be known before it starts: it picks its own free ports.
 */
export const launcherConfigSchema = z.object({
  BIND_HOST: z.string().min(1).default("127.0.0.1"),
  USERS_RPC_PORT: portVar(50051),
  USERS_ADMIN_PORT: portVar(9101),
  INVENTORY_RPC_PORT: portVar(50052),
  INVENTORY_ADMIN_PORT: portVar(9102),
  ORDERS_RPC_PORT: portVar(50053),
  ORDERS_ADMIN_PORT: portVar(9103),
  MATCHING_RPC_PORT: portVar(50054),
  MATCHING_ADMIN_PORT: portVar(9104),
  MARKETMAKER_RPC_PORT: portVar(50055),
  MARKETMAKER_ADMIN_PORT: portVar(9105),
  /** The gateway: the public API (Connect and gRPC-Web on HTTP/1.1, gRPC on h2c) and its admin port. */
  GATEWAY_HTTP_PORT: portVar(8080),
  GATEWAY_GRPC_PORT: portVar(8081),
  GATEWAY_ADMIN_PORT: portVar(9100),
});

export type LauncherConfig = z.infer<typeof launcherConfigSchema>;

export const loadLauncherConfig = (env: Env): LauncherConfig =>
  loadConfig("launcher", launcherConfigSchema, env);

export function requestedPorts(config: LauncherConfig): PortPlan {
  return {
    users: { rpc: config.USERS_RPC_PORT, admin: config.USERS_ADMIN_PORT },
    inventory: { rpc: config.INVENTORY_RPC_PORT, admin: config.INVENTORY_ADMIN_PORT },
    orders: { rpc: config.ORDERS_RPC_PORT, admin: config.ORDERS_ADMIN_PORT },
    matching: { rpc: config.MATCHING_RPC_PORT, admin: config.MATCHING_ADMIN_PORT },
    marketmaker: { rpc: config.MARKETMAKER_RPC_PORT, admin: config.MARKETMAKER_ADMIN_PORT },
  };
}

/**
 * Replaces each port 0 with a port that is free now. The services call each other (users asks
 * inventory for assets, inventory fetches the JWKS from users), so every URL must be known before
 * the first one starts. The probes stay open until all are chosen, so no port is handed out twice.
 */
export async function assignFreePorts(host: string, requested: PortPlan): Promise<PortPlan> {
  const probes: Server[] = [];
  const free = async (port: number): Promise<number> => {
    if (port !== 0) return port;
    const probe = createServer().listen(0, host);
    probes.push(probe);
    await once(probe, "listening");
    return (probe.address() as { port: number }).port;
  };
  try {
    const assigned: Partial<Record<LaunchedService, ServicePorts>> = {};
    for (const name of launchedServices) {
      assigned[name] = { rpc: await free(requested[name].rpc), admin: await free(requested[name].admin) };
    }
    return assigned as PortPlan;
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
}

/** The host that clients on this machine dial for a service bound to `bindHost`. */
export function dialHost(bindHost: string): string {
  if (bindHost === "0.0.0.0" || bindHost === "::") return "127.0.0.1";
  return bindHost.includes(":") ? `[${bindHost}]` : bindHost;
}

export interface SharedEnvironmentOptions {
  readonly stdoutIsTerminal: boolean;
  /** Makes this run's service credential when none is set. */
  readonly newCredential?: () => string;
}

/** 32 random bytes: 43 base64url characters, past the 32-character minimum. */
export const generateServiceCredential = () => randomBytes(32).toString("base64url");

/**
 * What every service of this run is told beyond its own ports: where the others are (each
 * `<SERVICE>_URL` and `AUTH_JWKS_URL` follow the ports in `ports`), the service credential they
 * share, and the log format. A variable the user set is kept as it is.
 */
export function sharedEnvironment(
  env: Env,
  bindHost: string,
  ports: PortPlan,
  options: SharedEnvironmentOptions,
): Record<string, string> {
  const host = dialHost(bindHost);
  const derived: Record<string, string> = {
    USERS_URL: `http://${host}:${ports.users.rpc}`,
    INVENTORY_URL: `http://${host}:${ports.inventory.rpc}`,
    ORDERS_URL: `http://${host}:${ports.orders.rpc}`,
    MATCHING_URL: `http://${host}:${ports.matching.rpc}`,
    AUTH_JWKS_URL: `http://${host}:${ports.users.admin}/.well-known/jwks.json`,
    LOG_FORMAT: options.stdoutIsTerminal ? "pretty" : "json",
  };
  const shared: Record<string, string> = {};
  for (const [name, value] of Object.entries(derived)) shared[name] = env[name] || value;
  shared.SERVICE_CREDENTIAL =
    env.SERVICE_CREDENTIAL || (options.newCredential ?? generateServiceCredential)();
  return shared;
}

/**
 * `npm start -- --dynamodb <endpoint> --redis <url>`: the same services on a DynamoDB endpoint (DynamoDB
 * Local, `npm run dev:deps`) and Redis, as the variables they stand for would (`STORE=dynamodb
 * DYNAMODB_ENDPOINT=<endpoint>`, `LOCKS=redis REDIS_URL=<url>`). A flag beats the variable.
 */
export function environmentFromFlags(args: readonly string[]): Record<string, string> {
  let values: { dynamodb?: string; redis?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { dynamodb: { type: "string" }, redis: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError("launcher", [
      `${(error as Error).message}; the flags are --dynamodb <endpoint> and --redis <url>`,
    ]);
  }
  return {
    ...(values.dynamodb === undefined ? {} : { STORE: "dynamodb", DYNAMODB_ENDPOINT: values.dynamodb }),
    ...(values.redis === undefined ? {} : { LOCKS: "redis", REDIS_URL: values.redis }),
  };
}
