import { once } from "node:events";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rpcError } from "@bourse/common/testing";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type RunningGateway } from "./gateway.js";
import { serveStaticFiles } from "./static-files.js";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw request: `path` goes on the wire as written (fetch would resolve `..` before sending it). */
function call(baseUrl: string, path: string, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${baseUrl}${path}`, { method }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function expectSecurityHeaders(headers: IncomingHttpHeaders): void {
  expect(headers["content-security-policy"]).toContain("default-src 'self'");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["x-frame-options"]).toBe("DENY");
}

let directory: string;
let webRoot: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "gateway-static-"));
  webRoot = join(directory, "dist");
  await mkdir(join(webRoot, "assets"), { recursive: true });
  await writeFile(join(directory, "secret.txt"), "outside the web root");
  await writeFile(join(webRoot, "index.html"), "<!doctype html><title>web app</title>");
  await writeFile(join(webRoot, "assets", "app.js"), "console.log('app');");
  await writeFile(join(webRoot, ".env"), "TOKEN=hidden");
  await symlink(join(directory, "secret.txt"), join(webRoot, "escape.txt"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("serveStaticFiles", () => {
  let server: Server;
  let baseUrl: string;
  let placeholderHosts: (string | undefined)[];

  const listen = async (root: string) => {
    placeholderHosts = [];
    server = createServer(
      serveStaticFiles({
        webRoot: root,
        placeholder: (host) => {
          placeholderHosts.push(host);
          return "<!doctype html><title>placeholder</title>";
        },
      }),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

  describe("with a web build", () => {
    beforeAll(() => listen(webRoot));
    afterAll(close);

    it("serves index.html at / and files by type, with the security headers", async () => {
      const index = await call(baseUrl, "/");
      expect(index.status).toBe(200);
      expect(index.body).toContain("web app");
      expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
      expectSecurityHeaders(index.headers);

      const script = await call(baseUrl, "/assets/app.js?v=1");
      expect(script.status).toBe(200);
      expect(script.body).toBe("console.log('app');");
      expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expectSecurityHeaders(script.headers);
    });

    it("answers HEAD with the headers and no body", async () => {
      const head = await call(baseUrl, "/assets/app.js", "HEAD");
      expect(head.status).toBe(200);
      expect(head.headers["content-length"]).toBe(String("console.log('app');".length));
      expect(head.body).toBe("");
    });

    it("serves index.html for the web app's own routes, and 404 for a missing file", async () => {
      const route = await call(baseUrl, "/markets/BTC-USD");
      expect(route.status).toBe(200);
      expect(route.body).toContain("web app");
      const missing = await call(baseUrl, "/assets/missing.js");
      expect(missing.status).toBe(404);
      expectSecurityHeaders(missing.headers);
    });

    it.each([
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/..%2fsecret.txt",
      "/..%5csecret.txt",
      "/%00/index.html",
      "/%E0%A4%A",
      "/.env",
      "/escape.txt",
    ])("never serves what is outside the web root or hidden: %s", async (path) => {
      const answer = await call(baseUrl, path);
      expect([400, 404]).toContain(answer.status);
      expect(answer.body).not.toContain("outside the web root");
      expect(answer.body).not.toContain("TOKEN");
      expectSecurityHeaders(answer.headers);
    });

    it("answers other methods 404, as Connect answers an unknown route", async () => {
      const post = await call(baseUrl, "/index.html", "POST");
      expect(post.status).toBe(404);
      expect(post.body).toBe("");
    });
  });

  describe("without a web build", () => {
    beforeAll(() => listen(join(directory, "not-built")));
    afterAll(close);

    it("serves the placeholder page at /, given the request's host, and 404 elsewhere", async () => {
      const page = await call(baseUrl, "/");
      expect(page.status).toBe(200);
      expect(page.body).toContain("placeholder");
      expectSecurityHeaders(page.headers);
      expect(placeholderHosts).toEqual([new URL(baseUrl).host]);
      expect((await call(baseUrl, "/assets/app.js")).status).toBe(404);
    });
  });
});

describe("the gateway's HTTP/1.1 listener", () => {
  let gateway: RunningGateway;
  let builtGateway: RunningGateway;

  const start = (overrides: Record<string, string>) =>
    createGateway({
      env: {
        BIND_HOST: "127.0.0.1",
        GATEWAY_HTTP_PORT: "0",
        GATEWAY_GRPC_PORT: "0",
        GATEWAY_ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: "a-service-credential-of-32-characters",
        /* Nothing listens on port 1: calls that reach forwarding fail with unavailable. */
        INVENTORY_URL: "http://127.0.0.1:1",
        GATEWAY_WEB_ROOT: join(directory, "not-built"),
        ...overrides,
      },
    });

  beforeAll(async () => {
    gateway = await start({});
    builtGateway = await start({ GATEWAY_WEB_ROOT: webRoot });
  });
  afterAll(async () => {
    await gateway?.stop();
    await builtGateway?.stop();
  });

  it("serves the placeholder page, with how to call the API, until the web app is built", async () => {
    const page = await call(gateway.httpUrl, "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expectSecurityHeaders(page.headers);
    expect(page.body).toContain("has not landed yet");
    expect(page.body).toContain(`${gateway.httpUrl}/bourse.inventory.v1.InventoryService/ListMarkets`);
    expect(page.body).toContain(`127.0.0.1:${new URL(gateway.grpcUrl).port}`);
    expect(page.body).toContain("bourse.orders.v1.OrderService");
    expect(page.body).not.toContain("bourse.users.v1.LedgerService");
  });

  it("serves the web build from GATEWAY_WEB_ROOT", async () => {
    const index = await call(builtGateway.httpUrl, "/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("web app");
    expect((await call(builtGateway.httpUrl, "/%2e%2e/secret.txt")).body).not.toContain("outside");
  });

  it("still sends Connect calls to forwarding, and internal services still have no route", async () => {
    const transport = createConnectTransport({ baseUrl: builtGateway.httpUrl, httpVersion: "1.1" });
    const inventory = createClient(InventoryService, transport);
    expect((await rpcError(inventory.listMarkets({}))).code).toBe(Code.Unavailable);
    const ledger = createClient(LedgerService, transport);
    expect((await rpcError(ledger.hold({}))).code).toBe(Code.Unimplemented);
  });
});
