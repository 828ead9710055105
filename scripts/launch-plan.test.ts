import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadInfrastructureConfig } from "@bourse/common";
import { describe, expect, it } from "vitest";
import {
  assignFreePorts,
  dialHost,
  embeddedPartsOf,
  environmentFromFlags,
  generateServiceCredential,
  hostsEmbeddedState,
  loadLauncherConfig,
  type PortPlan,
  processPlan,
  requestedGatewayPorts,
  requestedPorts,
  sharedEnvironment,
} from "./launch-plan.js";

const moved: PortPlan = {
  users: { rpc: 6001, admin: 6101 },
  inventory: { rpc: 6002, admin: 6102 },
  orders: { rpc: 6003, admin: 6103 },
  matching: { rpc: 6004, admin: 6104 },
  marketmaker: { rpc: 6005, admin: 6105 },
};

describe("npm start's shared environment", () => {
  it("points every service URL and the JWKS at the ports this run assigned", () => {
    const shared = sharedEnvironment({}, "127.0.0.1", moved, { stdoutIsTerminal: false });
    expect(shared).toMatchObject({
      USERS_URL: "http://127.0.0.1:6001",
      INVENTORY_URL: "http://127.0.0.1:6002",
      ORDERS_URL: "http://127.0.0.1:6003",
      MATCHING_URL: "http://127.0.0.1:6004",
      AUTH_JWKS_URL: "http://127.0.0.1:6101/.well-known/jwks.json",
    });
  });

  it("follows the ports moved through <SERVICE>_RPC_PORT and <SERVICE>_ADMIN_PORT", () => {
    const config = loadLauncherConfig({ INVENTORY_RPC_PORT: "7002", USERS_ADMIN_PORT: "7101" });
    const shared = sharedEnvironment({}, config.BIND_HOST, requestedPorts(config), {
      stdoutIsTerminal: false,
    });
    expect(shared.INVENTORY_URL).toBe("http://127.0.0.1:7002");
    expect(shared.AUTH_JWKS_URL).toBe("http://127.0.0.1:7101/.well-known/jwks.json");
  });

  it("keeps URLs the user set", () => {
    const env = {
      INVENTORY_URL: "http://inventory.internal:50052",
      AUTH_JWKS_URL: "https://auth.example/jwks",
    };
    const shared = sharedEnvironment(env, "127.0.0.1", moved, { stdoutIsTerminal: false });
    expect(shared.INVENTORY_URL).toBe("http://inventory.internal:50052");
    expect(shared.AUTH_JWKS_URL).toBe("https://auth.example/jwks");
    expect(shared.USERS_URL).toBe("http://127.0.0.1:6001");
  });

  it("dials loopback for a wildcard bind and brackets an IPv6 address", () => {
    expect(dialHost("0.0.0.0")).toBe("127.0.0.1");
    expect(dialHost("::")).toBe("127.0.0.1");
    expect(dialHost("::1")).toBe("[::1]");
    expect(sharedEnvironment({}, "::1", moved, { stdoutIsTerminal: false }).USERS_URL).toBe(
      "http://[::1]:6001",
    );
  });

  it("generates a fresh service credential for each run unless one is set", () => {
    const first = sharedEnvironment({}, "127.0.0.1", moved, { stdoutIsTerminal: false });
    const second = sharedEnvironment({}, "127.0.0.1", moved, { stdoutIsTerminal: false });
    expect(first.SERVICE_CREDENTIAL).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.SERVICE_CREDENTIAL).not.toBe(first.SERVICE_CREDENTIAL);
    const set = "a-credential-the-operator-chose-and-is-long";
    expect(
      sharedEnvironment({ SERVICE_CREDENTIAL: set }, "127.0.0.1", moved, { stdoutIsTerminal: false })
        .SERVICE_CREDENTIAL,
    ).toBe(set);
    expect(generateServiceCredential().length).toBeGreaterThanOrEqual(32);
  });

  it("asks for readable logs on a terminal and JSON otherwise, unless LOG_FORMAT is set", () => {
    expect(sharedEnvironment({}, "127.0.0.1", moved, { stdoutIsTerminal: true }).LOG_FORMAT).toBe("pretty");
    expect(sharedEnvironment({}, "127.0.0.1", moved, { stdoutIsTerminal: false }).LOG_FORMAT).toBe("json");
    expect(
      sharedEnvironment({ LOG_FORMAT: "json" }, "127.0.0.1", moved, { stdoutIsTerminal: true }).LOG_FORMAT,
    ).toBe("json");
  });
});

describe("assignFreePorts", () => {
  it("keeps given ports and replaces each 0 with a distinct port that can be bound", async () => {
    const config = loadLauncherConfig({
      USERS_RPC_PORT: "0",
      USERS_ADMIN_PORT: "0",
      INVENTORY_RPC_PORT: "0",
      INVENTORY_ADMIN_PORT: "0",
      ORDERS_RPC_PORT: "0",
      MATCHING_ADMIN_PORT: "0",
      MARKETMAKER_RPC_PORT: "0",
      GATEWAY_HTTP_PORT: "0",
      GATEWAY_ADMIN_PORT: "0",
    });
    const assigned = await assignFreePorts(
      "127.0.0.1",
      requestedPorts(config),
      requestedGatewayPorts(config),
    );
    const ports = assigned.services;
    expect(assigned.gateway.grpc).toBe(8081);
    expect(ports.orders.admin).toBe(9103);
    expect(ports.matching.rpc).toBe(50054);
    expect(ports.marketmaker.admin).toBe(9105);
    const chosen = [
      ports.users.rpc,
      ports.users.admin,
      ports.inventory.rpc,
      ports.inventory.admin,
      ports.orders.rpc,
      ports.matching.admin,
      ports.marketmaker.rpc,
      assigned.gateway.http,
      assigned.gateway.admin,
    ];
    expect(chosen.every((port) => port > 0)).toBe(true);
    expect(new Set(chosen).size).toBe(chosen.length);
    // Below the range the kernel gives outgoing connections, which could take a port before its service listens.
    const [ephemeralLow] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    expect(chosen.every((port) => port >= 10_000 && port < Number(ephemeralLow))).toBe(true);
    for (const port of chosen) {
      const server = createServer().listen(port, "127.0.0.1");
      await new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("npm start's flags", () => {
  it("stand for the store and lock variables they name", () => {
    expect(
      environmentFromFlags(["--dynamodb", "http://127.0.0.1:8000", "--redis", "redis://127.0.0.1:6379"]),
    ).toEqual({
      STORE: "dynamodb",
      DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      LOCKS: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    expect(environmentFromFlags(["--redis=redis://cache:6379"])).toEqual({
      LOCKS: "redis",
      REDIS_URL: "redis://cache:6379",
    });
    expect(environmentFromFlags([])).toEqual({});
  });

  it("ask for all in one process and for a data directory", () => {
    expect(environmentFromFlags(["--all-in-one", "--data-dir", "/var/lib/bourse"])).toEqual({
      BOURSE_ALL_IN_ONE: "true",
      BOURSE_DATA_DIR: "/var/lib/bourse",
    });
    const config = loadLauncherConfig(environmentFromFlags(["--all-in-one", "--data-dir=data"]));
    expect(config.BOURSE_ALL_IN_ONE).toBe(true);
    expect(config.BOURSE_DATA_DIR).toBe("data");
    const defaults = loadLauncherConfig({});
    expect(defaults.BOURSE_ALL_IN_ONE).toBe(false);
    expect(defaults.BOURSE_DATA_DIR).toBeUndefined();
  });

  it("refuses anything else with a configuration error naming the flags", () => {
    for (const args of [
      ["--dynamo", "x"],
      ["--redis"],
      ["positional"],
      ["--data-dir"],
      ["--all-in-one=yes"],
    ]) {
      expect(() => environmentFromFlags(args)).toThrow(
        /--dynamodb <endpoint>, --redis <url>, --data-dir <dir> and --all-in-one/,
      );
    }
  });
});

describe("the processes of npm start", () => {
  const gateway = { http: 6080, grpc: 6081, admin: 6100 };
  const plan = (embeddedStateUrl?: string) =>
    processPlan({
      env: { PATH: "/usr/bin", LOG_LEVEL: "warn", RPC_PORT: "1" },
      shared: { USERS_URL: "http://127.0.0.1:6001", SERVICE_CREDENTIAL: "the-run-credential" },
      bindHost: "0.0.0.0",
      ports: { services: moved, gateway },
      embeddedStateUrl,
    });

  it("starts each service from its main, then the gateway, each with its own ports", () => {
    const processes = plan("http://127.0.0.1:6200");
    expect(processes.map(({ name, entry }) => [name, entry])).toEqual([
      ["users", "services/users/src/main.ts"],
      ["inventory", "services/inventory/src/main.ts"],
      ["orders", "services/orders/src/main.ts"],
      ["matching", "services/matching/src/main.ts"],
      ["marketmaker", "services/marketmaker/src/main.ts"],
      ["gateway", "gateway/src/main.ts"],
    ]);
    const [users, , , matching, , front] = processes;
    expect(users?.env).toMatchObject({ RPC_PORT: "6001", ADMIN_PORT: "6101", BIND_HOST: "0.0.0.0" });
    expect(users?.adminUrl).toBe("http://127.0.0.1:6101");
    expect(matching?.env).toMatchObject({ RPC_PORT: "6004", ADMIN_PORT: "6104" });
    expect(front?.env).toMatchObject({
      GATEWAY_HTTP_PORT: "6080",
      GATEWAY_GRPC_PORT: "6081",
      GATEWAY_ADMIN_PORT: "6100",
    });
    expect(front?.adminUrl).toBe("http://127.0.0.1:6100");
  });

  it("gives every process the launcher's environment, the shared one and the embedded state's URL", () => {
    for (const launch of plan("http://127.0.0.1:6200")) {
      expect(launch.env).toMatchObject({
        PATH: "/usr/bin",
        LOG_LEVEL: "warn",
        USERS_URL: "http://127.0.0.1:6001",
        SERVICE_CREDENTIAL: "the-run-credential",
        EMBEDDED_STATE_URL: "http://127.0.0.1:6200",
      });
    }
    for (const launch of plan()) expect(launch.env.EMBEDDED_STATE_URL).toBeUndefined();
  });

  it("hosts the embedded state only for the parts that are not servers", () => {
    const parts = (env: Record<string, string>) => embeddedPartsOf(loadInfrastructureConfig("launcher", env));
    expect(parts({})).toEqual({ store: true, locks: true, userEvents: true });
    expect(parts({ REDIS_URL: "redis://127.0.0.1:6379" })).toEqual({
      store: true,
      locks: true,
      userEvents: false,
    });
    const servers = parts({ STORE: "dynamodb", LOCKS: "redis", REDIS_URL: "redis://127.0.0.1:6379" });
    expect(servers).toEqual({ store: false, locks: false, userEvents: false });
    expect(hostsEmbeddedState(servers)).toBe(false);
    expect(hostsEmbeddedState(parts({ STORE: "dynamodb" }))).toBe(true);
  });
});
