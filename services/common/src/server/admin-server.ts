import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { HealthState } from "../rpc/health.js";

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Extra admin endpoints a service may add, such as the users service's JWKS. */
export interface AdminRoutes {
  add(path: string, handler: AdminHandler): void;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

/**
 * The HTTP/1.1 admin listener: `/metrics` for Prometheus, `/healthz` (the process is alive) and
 * `/readyz` (it should receive traffic), plus whatever routes the service adds.
 */
export function createAdminServer(
  registry: Registry,
  health: HealthState,
): { server: Server; routes: AdminRoutes } {
  const extra = new Map<string, AdminHandler>();
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://admin").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "method not allowed\n");
      return;
    }
    try {
      if (path === "/metrics") {
        send(res, 200, await registry.metrics(), registry.contentType);
      } else if (path === "/healthz") {
        send(res, 200, "ok\n");
      } else if (path === "/readyz") {
        if (health.isReady()) send(res, 200, "ready\n");
        else send(res, 503, "not ready\n");
      } else {
        const handler = extra.get(path);
        if (handler) await handler(req, res);
        else send(res, 404, "not found\n");
      }
    } catch {
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.destroy();
    }
  });
  return {
    server,
    routes: {
      add(path, handler) {
        if (["/metrics", "/healthz", "/readyz"].includes(path) || extra.has(path)) {
          throw new Error(`admin route ${path} is already taken`);
        }
        extra.set(path, handler);
      },
    },
  };
}
