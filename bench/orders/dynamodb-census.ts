import { once } from "node:events";
import { Agent, createServer, request } from "node:http";
import { performance } from "node:perf_hooks";

/** A count of the DynamoDB requests the exchange makes, by operation, and their latency. */
export interface DynamoDbCensus {
  /** Where the exchange should send its DynamoDB requests instead of DynamoDB Local. */
  readonly endpoint: string;
  /** Starts counting afresh. */
  reset(): void;
  lines(placed: number): string[];
  stop(): Promise<void>;
}

/**
 * A pass-through HTTP proxy on loopback in front of DynamoDB Local that counts requests by their
 * `X-Amz-Target` (GetItem, Query, TransactWriteItems, ...) and times them, so the bench can say which
 * store calls an order costs. It adds one loopback hop to each store call.
 */
export async function startDynamoDbCensus(target: string): Promise<DynamoDbCensus> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let counts = new Map<string, { calls: number; ms: number; failed: number }>();
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers["x-amz-target"] ?? "?").replace(/^DynamoDB_\d+\./, "");
    const start = performance.now();
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.once("end", () => {
          const entry = counts.get(operation) ?? { calls: 0, ms: 0, failed: 0 };
          entry.calls++;
          entry.ms += performance.now() - start;
          if ((answer.statusCode ?? 500) >= 400) entry.failed++;
          counts.set(operation, entry);
        });
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reset() {
      counts = new Map();
    },
    lines(placed) {
      return [...counts]
        .sort((a, b) => b[1].calls - a[1].calls)
        .map(([operation, { calls, ms, failed }]) => {
          const perOrder = placed > 0 ? (calls / placed).toFixed(2) : "-";
          const refused = failed > 0 ? `  (${failed} refused: conditions, conflicts)` : "";
          return `    ${perOrder.padStart(6)} per order  mean ${(ms / calls).toFixed(2).padStart(7)} ms  ${operation} (${calls})${refused}`;
        });
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}
