import { type ChildServer, startChildServer } from "./child-server.js";
import { freePort } from "./free-port.js";

/**
 * Starts a throwaway `redis-server` on loopback port `options.port`, by default a free one, with
 * persistence off. The tests and `npm run dev:deps` both start it here.
 */
export async function startRedisServer(
  options: { port?: number } = {},
): Promise<ChildServer & { url: string }> {
  const port = options.port ?? (await freePort());
  const server = await startChildServer(
    "redis-server",
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    port,
  );
  return { ...server, url: `redis://127.0.0.1:${port}` };
}
