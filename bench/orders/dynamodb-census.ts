import { once } from "node:events";
import { Agent, createServer, request } from "node:http";
import { performance } from "node:perf_hooks";

/** A count of the DynamoDB requests the exchange makes, by operation and key shape, and their latency. */
export interface DynamoDbCensus {
  /** Where the exchange should send its DynamoDB requests instead of DynamoDB Local. */
  readonly endpoint: string;
  /** Starts counting afresh. */
  reset(): void;
  lines(placed: number): string[];
  stop(): Promise<void>;
}

interface Tally {
  calls: number;
  ms: number;
  /** Refusals by DynamoDB's reason (ConditionalCheckFailed, TransactionConflict, ...). */
  refused: Map<string, number>;
  /** Items written, for transactions. */
  items: number;
}

type AttributeValue = { S?: string; N?: string };
interface RequestBody {
  Key?: Record<string, AttributeValue>;
  Item?: Record<string, AttributeValue>;
  IndexName?: string;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  TransactItems?: Array<
    Record<string, { Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> }>
  >;
}

/** The key shape of each item of a transaction, in order. */
const transactionKeys = (body: RequestBody) =>
  (body.TransactItems ?? []).map((entry) => {
    const write = Object.values(entry)[0];
    const key = write?.Key ?? write?.Item;
    return `${keyShape(key?.PK)} ${keyShape(key?.SK)}`;
  });

/** "ACCOUNT#01J..." → "ACCOUNT#"; a short constant such as "MARKET" stays whole. */
function keyShape(value: AttributeValue | undefined): string {
  const text = value?.S ?? value?.N ?? "?";
  const hash = text.indexOf("#");
  if (hash >= 0) return text.slice(0, hash + 1);
  return text.length <= 24 ? text : "…";
}

/**
 * Why DynamoDB refused a request: each cancellation reason of a transaction with the key shape of the
 * item it names, or the error's type.
 */
function refusalReasons(text: string, keys: readonly string[]): string[] {
  try {
    const error = JSON.parse(text) as { __type?: string; CancellationReasons?: Array<{ Code?: string }> };
    const reasons = (error.CancellationReasons ?? [])
      .map((reason, index) => `${reason.Code ?? "?"} on ${keys[index] ?? "?"}`)
      .filter((reason) => !reason.startsWith("None "));
    return reasons.length > 0 ? [...new Set(reasons)] : [String(error.__type ?? "?").replace(/^.*#/, "")];
  } catch {
    return ["?"];
  }
}

/** What a request touches: its operation and the shape of its key (or index and key condition). */
function describe(operation: string, body: RequestBody): string {
  const key = body.Key ?? body.Item;
  if (key) return `${operation} ${keyShape(key.PK)} ${keyShape(key.SK)}`;
  if (operation === "TransactWriteItems") {
    // Settlements are fenced by the market's sequence item (DESIGN §3.4); placements are not.
    const fenced = transactionKeys(body).includes("MARKET# SEQUENCE");
    return `TransactWriteItems ${fenced ? "fenced (settlement)" : "unfenced (placement)"}`;
  }
  if (operation === "Query") {
    const first = Object.values(body.ExpressionAttributeValues ?? {})[0];
    return `Query ${body.IndexName ?? "table"} ${keyShape(first)}`;
  }
  return operation;
}

/**
 * A pass-through HTTP proxy on loopback in front of DynamoDB Local that counts requests by operation
 * (`X-Amz-Target`) and by the shape of the key they touch, and times them, so the bench can say which
 * store calls an order costs. It adds one loopback hop to each store call.
 */
export async function startDynamoDbCensus(target: string): Promise<DynamoDbCensus> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let tallies = new Map<string, Tally>();
  const server = createServer(async (incoming, outgoing) => {
    const operation = String(incoming.headers["x-amz-target"] ?? "?").replace(/^DynamoDB_\d+\./, "");
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let parsed: RequestBody = {};
    try {
      parsed = JSON.parse(body.toString()) as RequestBody;
    } catch {
      // Not JSON: counted by operation alone.
    }
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
        const status = answer.statusCode ?? 502;
        outgoing.writeHead(status, answer.headers);
        answer.pipe(outgoing);
        const errorBody: Buffer[] = [];
        if (status >= 400) answer.on("data", (chunk: Buffer) => errorBody.push(chunk));
        answer.once("end", () => {
          const kind = describe(operation, parsed);
          const tally = tallies.get(kind) ?? { calls: 0, ms: 0, refused: new Map(), items: 0 };
          tally.calls++;
          tally.ms += performance.now() - start;
          tally.items += parsed.TransactItems?.length ?? 0;
          if (status >= 400) {
            const reasons = refusalReasons(Buffer.concat(errorBody).toString(), transactionKeys(parsed));
            for (const reason of reasons) {
              tally.refused.set(reason, (tally.refused.get(reason) ?? 0) + 1);
            }
          }
          tallies.set(kind, tally);
        });
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    forwarded.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reset() {
      tallies = new Map();
    },
    lines(placed) {
      const all = [...tallies.values()].reduce((sum, tally) => sum + tally.calls, 0);
      const total = `    ${placed > 0 ? (all / placed).toFixed(2).padStart(6) : "-"} per order  in all (${all} requests)`;
      const rows = [...tallies]
        .sort((a, b) => b[1].calls - a[1].calls)
        .slice(0, 16)
        .map(([kind, { calls, ms, refused, items }]) => {
          const perOrder = placed > 0 ? (calls / placed).toFixed(2) : "-";
          const size = items > 0 ? `, ${(items / calls).toFixed(1)} items each` : "";
          const failed = [...refused].map(([reason, count]) => `, ${count} refused: ${reason}`).join("");
          return `    ${perOrder.padStart(6)} per order  mean ${(ms / calls).toFixed(2).padStart(7)} ms  ${kind} (${calls}${size}${failed})`;
        });
      return [total, ...rows];
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}
