import { randomBytes, randomInt } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { parseArgs } from "node:util";
import {
  ConfigError,
  type Env,
  flagVar,
  type InfrastructureConfig,
  loadConfig,
  portVar,
} from "@bourse/common";
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

/** The gateway's listeners: the public API on HTTP/1.1 and on h2c, and its admin port. */
export interface GatewayPorts {
  readonly http: number;
  readonly grpc: number;
  readonly admin: number;
}

/**
 * The launcher's own variables: where each service and the gateway listen (0 picks a free port), whether
 * the services run in one process, and where the embedded store keeps its files.
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
  /**
   * Every service in the launcher's process, sharing its memory (`--all-in-one`), instead of one
   * process each under the supervisor.
   */
  BOURSE_ALL_IN_ONE: flagVar(false),
  /** The embedded store kept in this directory, so that it outlives a restart (`--data-dir`). */
  BOURSE_DATA_DIR: z.string().min(1).optional(),
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

export const requestedGatewayPorts = (config: LauncherConfig): GatewayPorts => ({
  http: config.GATEWAY_HTTP_PORT,
  grpc: config.GATEWAY_GRPC_PORT,
  admin: config.GATEWAY_ADMIN_PORT,
});

export interface AssignedPorts {
  readonly services: PortPlan;
  readonly gateway: GatewayPorts;
}

/**
 * Replaces each port 0 with a port that is free now, chosen below the kernel's ephemeral range (see
 * ephemeralPortFloor) so that no outgoing connection takes it before its service listens. The services call each other (users asks
 * inventory for assets, inventory fetches the JWKS from users), so every URL must be known before
 * the first one starts; and the launcher reports the gateway's URLs, which a gateway in another
 * process cannot tell it. The probes stay open until all are chosen, so no port is handed out twice.
 */
export async function assignFreePorts(
  host: string,
  requested: PortPlan,
  gateway: GatewayPorts,
): Promise<AssignedPorts> {
  const probes: Server[] = [];
  const floor = ephemeralPortFloor();
  const probe = async (port: number): Promise<number | undefined> => {
    const server = createServer().listen(port, host);
    try {
      await once(server, "listening");
    } catch {
      return undefined;
    }
    probes.push(server);
    return (server.address() as { port: number }).port;
  };
  const free = async (port: number): Promise<number> => {
    if (port !== 0) return port;
    for (let attempt = 0; attempt < PORT_ATTEMPTS && floor > LOWEST_CHOSEN_PORT; attempt++) {
      const chosen = await probe(randomInt(LOWEST_CHOSEN_PORT, floor));
      if (chosen !== undefined) return chosen;
    }
    const anyPort = await probe(0);
    if (anyPort === undefined) throw new Error(`no free port on ${host}`);
    return anyPort;
  };
  try {
    const assigned: Partial<Record<LaunchedService, ServicePorts>> = {};
    for (const name of launchedServices) {
      assigned[name] = { rpc: await free(requested[name].rpc), admin: await free(requested[name].admin) };
    }
    return {
      services: assigned as PortPlan,
      gateway: {
        http: await free(gateway.http),
        grpc: await free(gateway.grpc),
        admin: await free(gateway.admin),
      },
    };
  } finally {
    await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  }
}

/** Ports are chosen at random from LOWEST_CHOSEN_PORT up to the ephemeral range, this many tries at most. */
const LOWEST_CHOSEN_PORT = 10_000;
const PORT_ATTEMPTS = 50;

/**
 * The lowest port of the range the kernel hands out on its own (`listen(0)`, and the local end of every
 * outgoing connection). A port chosen in that range can be taken, between the probe and the child's own
 * listen seconds later, by any connection the machine opens; one chosen below it only by a program that
 * asks for that very number. Linux's default when /proc does not say.
 */
function ephemeralPortFloor(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    const floor = Number(low);
    if (Number.isInteger(floor) && floor > 1024) return floor;
  } catch {
    // Not Linux: the default range below.
  }
  return 32_768;
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
 * `npm start -- --dynamodb <endpoint> --redis <url> --data-dir <dir> --all-in-one`: the same services on a
 * DynamoDB endpoint (DynamoDB Local, `npm run dev:deps`) and Redis, with the embedded store kept in a
 * directory, or all in one process, as the variables they stand for would (`STORE=dynamodb
 * DYNAMODB_ENDPOINT=<endpoint>`, `LOCKS=redis REDIS_URL=<url>`, `BOURSE_DATA_DIR=<dir>`,
 * `BOURSE_ALL_IN_ONE=true`). A flag beats the variable.
 */
export function environmentFromFlags(args: readonly string[]): Record<string, string> {
  let values: { dynamodb?: string; redis?: string; "data-dir"?: string; "all-in-one"?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        dynamodb: { type: "string" },
        redis: { type: "string" },
        "data-dir": { type: "string" },
        "all-in-one": { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError("launcher", [
      `${(error as Error).message}; the flags are --dynamodb <endpoint>, --redis <url>, --data-dir <dir> and --all-in-one`,
    ]);
  }
  return {
    ...(values.dynamodb === undefined ? {} : { STORE: "dynamodb", DYNAMODB_ENDPOINT: values.dynamodb }),
    ...(values.redis === undefined ? {} : { LOCKS: "redis", REDIS_URL: values.redis }),
    ...(values["data-dir"] === undefined ? {} : { BOURSE_DATA_DIR: values["data-dir"] }),
    ...(values["all-in-one"] ? { BOURSE_ALL_IN_ONE: "true" } : {}),
  };
}

/** What the launcher hosts for the processes: the parts of the state that are embedded, not servers. */
export interface EmbeddedParts {
  /** STORE=memory: the embedded store. */
  readonly store: boolean;
  /** LOCKS=memory: the lock service. */
  readonly locks: boolean;
  /** No REDIS_URL: the user event log. */
  readonly userEvents: boolean;
}

export const embeddedPartsOf = (config: InfrastructureConfig): EmbeddedParts => ({
  store: config.STORE === "memory",
  locks: config.LOCKS === "memory",
  userEvents: config.REDIS_URL === undefined,
});

export const hostsEmbeddedState = (parts: EmbeddedParts): boolean =>
  parts.store || parts.locks || parts.userEvents;

/** A process `npm start` runs: its name, its program (relative to the repository) and its environment. */
export interface ProcessLaunch {
  readonly name: LaunchedService | "gateway";
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Its admin listener, whose /readyz says when the next one may start. */
  readonly adminUrl: string;
}

export interface ProcessPlanInput {
  /** The launcher's environment: every process inherits it. */
  readonly env: Env;
  /** What `sharedEnvironment` gave every service. */
  readonly shared: Record<string, string>;
  readonly bindHost: string;
  readonly ports: AssignedPorts;
  /** The launcher's embedded state service, when it hosts one. */
  readonly embeddedStateUrl?: string;
}

/**
 * The processes of the default `npm start`, in the order they start: each service with its own ports,
 * then the gateway, which forwards to them. Each is told where the embedded state service is.
 */
export function processPlan(input: ProcessPlanInput): ProcessLaunch[] {
  const inherited = Object.fromEntries(
    Object.entries(input.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const common = {
    ...inherited,
    ...input.shared,
    BIND_HOST: input.bindHost,
    ...(input.embeddedStateUrl === undefined ? {} : { EMBEDDED_STATE_URL: input.embeddedStateUrl }),
  };
  const host = dialHost(input.bindHost);
  const services = launchedServices.map((name) => {
    const ports = input.ports.services[name];
    return {
      name,
      entry: `services/${name}/src/main.ts`,
      env: { ...common, RPC_PORT: String(ports.rpc), ADMIN_PORT: String(ports.admin) },
      adminUrl: `http://${host}:${ports.admin}`,
    };
  });
  const { gateway } = input.ports;
  return [
    ...services,
    {
      name: "gateway",
      entry: "gateway/src/main.ts",
      env: {
        ...common,
        GATEWAY_HTTP_PORT: String(gateway.http),
        GATEWAY_GRPC_PORT: String(gateway.grpc),
        GATEWAY_ADMIN_PORT: String(gateway.admin),
      },
      adminUrl: `http://${host}:${gateway.admin}`,
    },
  ];
}
