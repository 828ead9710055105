/**
 * The users service as its image runs it, short of Docker: built by `npm run build`, laid out as the
 * Dockerfile's final stage lays it out (package.json, dist/, the production node_modules that npm lists for
 * `--omit=dev`), with the whole tree read-only and, when the test runs as root, as an unprivileged user
 * (root ignores file modes). It must answer grpc.health.v1 Check on DynamoDB and Redis in production mode.
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
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createDynamoDbClient, ensureTable } from "@bourse/common/storage";
import { testRedisUrl } from "@bourse/common/testing";
import { Health, HealthCheckResponse_ServingStatus } from "@bourse/proto/grpc/health/v1/health_pb";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildServices } from "../../scripts/build.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const nobody = 65534;
/** Root ignores file modes, so as root the service runs as nobody, like the image's non-root USER. */
const asRoot = process.getuid?.() === 0;

/** The packages `npm ci --omit=dev` installs, as npm resolves them from the lock file: paths below node_modules/. */
function productionPackagePaths(): string[] {
  const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
  return listed
    .split("\n")
    .map((line) => path.relative(repositoryRoot, line))
    .filter((relative) => relative.startsWith(`node_modules${path.sep}`))
    .filter((relative) => !relative.startsWith(path.join("node_modules", "@bourse")));
}

/** Copies each package without its nested node_modules: those nested ones that npm lists are copied themselves. */
function copyPackages(packagePaths: string[], destination: string): void {
  for (const relative of packagePaths) {
    const source = path.join(repositoryRoot, relative);
    cpSync(source, path.join(destination, relative), {
      recursive: true,
      filter: (file) => !path.relative(source, file).split(path.sep).includes("node_modules"),
    });
  }
}

/** Every directory 0555 and every file 0444: nobody can write anywhere in the tree. */
function makeReadOnly(root: string): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const entryPath = path.join(root, entry.name);
    if (entry.isDirectory()) makeReadOnly(entryPath);
    else if (entry.isFile()) chmodSync(entryPath, statSync(entryPath).mode & 0o555);
  }
  chmodSync(root, 0o555);
}

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
let workDirectory: string | undefined;
let app: string;
let nodeBinary = process.execPath;
let metafiles: Metafile[];
let productionPackages: string[];
let service: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  workDirectory = mkdtempSync(path.join(tmpdir(), "bourse-image-"));
  chmodSync(workDirectory, 0o755);
  app = path.join(workDirectory, "app");
  mkdirSync(app);
  if (asRoot) nodeBinary = nodeWhereNobodyCanRunIt(workDirectory);
  metafiles = await buildServices(path.join(app, "dist"));
  productionPackages = productionPackagePaths();
  cpSync(path.join(repositoryRoot, "package.json"), path.join(app, "package.json"));
  copyPackages(productionPackages, app);
  makeReadOnly(app);
});

afterAll(() => {
  if (service && service.exitCode === null) service.kill("SIGKILL");
  if (workDirectory) {
    makeWritable(app);
    rmSync(workDirectory, { recursive: true, force: true });
  }
});

describe("the compiled services", () => {
  it("import only npm packages that production installs (no dev dependency, no TypeScript)", () => {
    const installed = new Set(
      productionPackages.map((relative) => relative.split(path.sep).slice(1).join("/")).map(packageOf),
    );
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
    expect([...imported].filter((name) => !installed.has(name))).toEqual([]);
  });

  it("run users from dist/ with production dependencies only, on a read-only tree, answering the health check", async () => {
    expect(dynamoEndpoint, "DynamoDB Local must run for this test").toBeTruthy();
    expect(redisUrl, "redis-server must run for this test").toBeTruthy();
    const table = `image-${randomUUID()}`;
    const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
    try {
      await ensureTable(client, table);
    } finally {
      client.destroy();
    }
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ format: "pem", type: "pkcs8" })
      .toString();
    service = spawn(nodeBinary, ["--enable-source-maps", "dist/users/main.js"], {
      cwd: app,
      ...(asRoot ? { uid: nobody, gid: nobody } : {}),
      env: {
        PATH: process.env.PATH ?? "",
        BOURSE_ENV: "production",
        BIND_HOST: "127.0.0.1",
        RPC_PORT: "0",
        ADMIN_PORT: "0",
        SERVICE_CREDENTIAL: "c".repeat(40),
        STORE: "dynamodb",
        DYNAMODB_TABLE: table,
        DYNAMODB_ENDPOINT: dynamoEndpoint ?? "",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        LOCKS: "redis",
        REDIS_URL: redisUrl ?? "",
        JWT_KEYS: JSON.stringify([{ kid: "image-key", pem }]),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    service.stdout?.on("data", keep);
    service.stderr?.on("data", keep);
    const exited = new Promise<number | null>((resolve) => service?.once("exit", resolve));

    let rpcPort: number | undefined;
    while (rpcPort === undefined) {
      const listening = output.split("\n").find((line) => line.includes('"rpc_port"'));
      if (listening) rpcPort = (JSON.parse(listening) as { rpc_port: number }).rpc_port;
      else if (service.exitCode !== null) throw new Error(`users exited (${service.exitCode}):\n${output}`);
      else await sleep(50);
    }

    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${rpcPort}` }));
    const { status } = await health.check({ service: "" });
    expect(status, output).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(output).not.toMatch(/EACCES|EROFS|"level":50/);

    service.kill("SIGTERM");
    expect(await exited, output).toBe(0);
  });
});
