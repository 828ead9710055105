/**
 * The ceiling of `npm run bench:orders`: a bare connect-node server in its own process answering
 * `grpc.health.v1.Health/Check` and nothing else (no interceptors, no logging, no metrics), so that
 * the same client at the same concurrency measures what one unary call on this machine's RPC stack
 * costs at best. Prints the URL it listens on; stops on SIGTERM.
 */
import { once } from "node:events";
import { createServer } from "node:http2";
import { Health, HealthCheckResponse_ServingStatus } from "@bourse/proto/grpc/health/v1/health_pb";
import { connectNodeAdapter } from "@connectrpc/connect-node";

const handler = connectNodeAdapter({
  routes(router) {
    router.service(Health, { check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }) });
  },
});
const server = createServer(handler).listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address() as { port: number };
console.log(`ceiling server listening on http://127.0.0.1:${port}`);
process.once("SIGTERM", () => process.exit(0));
