import { type ChildServer, startChildServer } from "./child-server.js";
import { freePort } from "./free-port.js";

/** Starts a throwaway `redis-server` on a free loopback port, with persistence off. */
export async function startRedisServer(): Promise<ChildServer & { url: string }> {
  const port = await freePort();
  const server = await startChildServer(
    "redis-server",
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    port,
  );
  return { ...server, url: `redis://127.0.0.1:${port}` };
}
