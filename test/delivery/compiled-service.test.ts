/**
 * The services as their images run them, short of Docker: built by `npm run build`, laid out as the
 * Dockerfile's final stage lays them out (package.json, dist/, the inventory seed, web/dist, node_modules
 * from `npm ci --omit=dev`), with the whole tree read-only and, when the test runs as
 * root, as an unprivileged user (root ignores file modes). Users must answer grpc.health.v1 Check on
 * DynamoDB and Redis in production mode; inventory and the gateway must find the data files they ship with.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { testRedisUrl } from "@bourse/common/testing";
import { Health, HealthCheckResponse_ServingStatus } from "@bourse/proto/grpc/health/v1/health_pb";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildServices } from "../../scripts/build.js";
import { productionInstallCommand } from "./support/dockerfile.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const nobody = 65534;
const tini = "/usr/bin/tini";
/** Root ignores file modes, so as root the service runs as nobody, like the image's non-root USER. */
const asRoot = process.getuid?.() === 0;

/**
 * What the Dockerfile's production-dependencies stage makes: its own `npm ci --omit=dev` command, on the lock
 * file and every workspace manifest, moved into `destination` as the final stage copies /app/node_modules. The tarballs
 * come from npm's cache when it has them (CI's own npm ci filled it), else from the registry.
 */
function installProductionDependencies(staging: string, destination: string): void {
  const { workspaces } = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const manifests = [
    "package.json",
    "package-lock.json",
    ...workspaces.map((name) => `${name}/package.json`),
  ];
  for (const manifest of manifests) {
    mkdirSync(path.dirname(path.join(staging, manifest)), { recursive: true });
    copyFileSync(path.join(repositoryRoot, manifest), path.join(staging, manifest));
  }
  execFileSync("sh", ["-c", `${productionInstallCommand()} --prefer-offline`], {
    cwd: staging,
    stdio: "pipe",
  });
  renameSync(path.join(staging, "node_modules"), path.join(destination, "node_modules"));
}

/** The package names directly under a node_modules directory ("@scope/name" for scoped ones). */
function installedPackages(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) =>
      name.startsWith("@")
        ? readdirSync(path.join(nodeModules, name)).map((inner) => `${name}/${inner}`)
        : [name],
    );
}

/** Takes every write bit off, directories included: no one but root can write anywhere in the tree. */
function makeReadOnly(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const entryPath = path.join(root, entry.name);
    if (entry.isDirectory()) makeReadOnly(entryPath);
    else if (entry.isFile()) chmodSync(entryPath, statSync(entryPath).mode & 0o555);
  }
  chmodSync(root, 0o555);
}

/** Gives the directories their write bit back, so that the tree can be removed. */
function makeWritable(root: string): void {
  chmodSync(root, 0o755);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const entryPath = path.join(root, entry.name);
    if (entry.isDirectory()) makeWritable(entryPath);
  }
}

/** This node binary, outside the read-only tree, where nobody may run it (a home directory may be closed). */
function nodeWhereNobodyCanRunIt(directory: string): string {
  const binary = path.join(directory, "node");
  try {
    linkSync(realpathSync(process.execPath), binary);
  } catch {
    copyFileSync(process.execPath, binary);
    chmodSync(binary, 0o755);
  }
  return binary;
}

/** The npm package a bare import names ("@scope/name/sub" is "@scope/name"). */
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

const dynamoEndpoint = inject("dynamoEndpoint");
const redisUrl = testRedisUrl();
const webMarker = "<!doctype html><title>bourse web app, as the gateway image holds it</title>";
const serviceCredential = "c".repeat(40);
let workDirectory: string | undefined;
let app: string;
let nodeBinary = process.execPath;
let metafiles: Metafile[];
const running: ChildProcess[] = [];

interface ImageProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** The first JSON log line that has `field`, parsed; rejects if the process exits first. */
  logged(field: string): Promise<Record<string, unknown>>;
  output(): string;
}

/**
 * `node <bundle>` under tini (the image's entrypoint, apt's tini here), in the image's working directory,
 * as the image's user, with exactly `env`. A SIGTERM to tini must reach node and end it cleanly.
 */
function runFromImage(bundle: string, env: Record<string, string>): ImageProcess {
  const child = spawn(tini, ["--", nodeBinary, "--enable-source-maps", bundle], {
    cwd: app,
    ...(asRoot ? { uid: nobody, gid: nobody } : {}),
    env: { PATH: process.env.PATH ?? "", BIND_HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const logged = async (field: string) => {
    for (;;) {
      const line = output.split("\n").find((text) => text.includes(`"${field}"`));
      if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
      if (child.exitCode !== null) throw new Error(`${bundle} exited (${child.exitCode}):\n${output}`);
      await sleep(50);
    }
  };
  return { child, exited, logged, output: () => output };
}

beforeAll(async () => {
  workDirectory = mkdtempSync(path.join(tmpdir(), "bourse-image-"));
  chmodSync(workDirectory, 0o755);
  app = path.join(workDirectory, "app");
  mkdirSync(app);
  if (asRoot) nodeBinary = nodeWhereNobodyCanRunIt(workDirectory);
  metafiles = await buildServices(path.join(app, "dist"));
  installProductionDependencies(path.join(workDirectory, "npm-ci"), app);
  cpSync(path.join(repositoryRoot, "package.json"), path.join(app, "package.json"));
  const seed = path.join("services", "inventory", "seed");
  cpSync(path.join(repositoryRoot, seed), path.join(app, seed), { recursive: true });
  // What the gateway image gets from npm run build:web; a marker page stands in for the web app here.
  mkdirSync(path.join(app, "web", "dist"), { recursive: true });
  writeFileSync(path.join(app, "web", "dist", "index.html"), webMarker);
  makeReadOnly(app);
});

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
  if (workDirectory) {
    makeWritable(app);
    rmSync(workDirectory, { recursive: true, force: true });
  }
});

describe("the compiled services", () => {
  it("import only npm packages that production installs (no dev dependency, no TypeScript)", () => {
    const installed = new Set(installedPackages(path.join(app, "node_modules")));
    const imported = new Set(
      metafiles.flatMap((metafile) =>
        Object.values(metafile.outputs).flatMap((output) =>
          output.imports
            .filter((entry) => entry.external && !entry.path.startsWith("node:"))
            .map((entry) => packageOf(entry.path)),
        ),
      ),
    );
    expect(imported.size).toBeGreaterThan(0);
    expect(installed.has("react"), "the web app's dependencies stay out of the images").toBe(false);
    expect([...imported].filter((name) => !installed.has(name))).toEqual([]);
  });

  it("run db-init, then users from dist/ with production dependencies only, on a read-only tree, answering the health check", async () => {
    expect(dynamoEndpoint, "DynamoDB Local must run for this test").toBeTruthy();
    expect(redisUrl, "redis-server must run for this test").toBeTruthy();
    const table = `image-${randomUUID()}`;
    const dynamodb = {
      DYNAMODB_TABLE: table,
      DYNAMODB_ENDPOINT: dynamoEndpoint ?? "",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    };
    // The table, made by the image's own initialiser, as docs/deploy.md runs it.
    const tableInit = runFromImage("dist/db-init/main.js", dynamodb);
    expect(await tableInit.exited, tableInit.output()).toBe(0);
    expect(tableInit.output()).toContain(`table ${table} (PK/SK, GSI1, GSI2) created`);
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    const users = runFromImage("dist/users/main.js", {
      BOURSE_ENV: "production",
      RPC_PORT: "0",
      ADMIN_PORT: "0",
      SERVICE_CREDENTIAL: serviceCredential,
      STORE: "dynamodb",
      ...dynamodb,
      LOCKS: "redis",
      REDIS_URL: redisUrl ?? "",
      JWT_KEYS: JSON.stringify([{ kid: "image-key", pem }]),
    });
    const { rpc_port: rpcPort } = await users.logged("rpc_port");
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${rpcPort}` }));
    const { status } = await health.check({ service: "" });
    expect(status, users.output()).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(users.output()).not.toMatch(/EACCES|EROFS|"level":50/);

    users.child.kill("SIGTERM");
    expect(await users.exited, users.output()).toBe(0);
  });

  it("run inventory from dist/, reading its seed catalogue and price snapshot from services/inventory/seed", async () => {
    const inventory = runFromImage("dist/inventory/main.js", {
      RPC_PORT: "0",
      ADMIN_PORT: "0",
      SERVICE_CREDENTIAL: serviceCredential,
      // A refused local port: no request leaves this machine, and prices come from the snapshot.
      COINGECKO_BASE_URL: "http://127.0.0.1:1/api/v3",
    });
    const seeded = await inventory.logged("assetsAdded");
    expect(seeded.assetsAdded).toBeGreaterThan(0);
    expect((await inventory.logged("snapshot_as_of")).msg).toBe("bundled price snapshot loaded");
    inventory.child.kill("SIGTERM");
    expect(await inventory.exited, inventory.output()).toBe(0);
  });

  it("run the gateway from dist/, serving the web app from web/dist beside it", async () => {
    const gateway = runFromImage("dist/gateway/main.js", {
      GATEWAY_HTTP_PORT: "0",
      GATEWAY_GRPC_PORT: "0",
      GATEWAY_ADMIN_PORT: "0",
      SERVICE_CREDENTIAL: serviceCredential,
    });
    const { httpUrl } = await gateway.logged("httpUrl");
    const page = await fetch(`${httpUrl}/`);
    expect(page.status, gateway.output()).toBe(200);
    expect(await page.text()).toBe(webMarker);
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited, gateway.output()).toBe(0);
  });
});
