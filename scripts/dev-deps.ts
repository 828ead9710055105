/**
 * `npm run dev:deps`: DynamoDB Local (in memory) and redis-server on this machine, for running the
 * exchange against real servers: starts both, prepares the table as `npm run db:init` does, prints the
 * environment that points the exchange at them, and stops both on Ctrl-C (SIGINT) or SIGTERM.
 *
 *   npm run dev:deps -- --dynamodb-port 8000 --redis-port 6379
 */
import { createServer } from "node:net";
import { parseArgs } from "node:util";
import { stopOnSignals, tableNameVar } from "@bourse/common";
import { createDynamoDbClient } from "@bourse/common/storage";
import { type ChildServer, startDynamoDbLocal, startRedisServer } from "@bourse/common/testing";
import { prepareTable } from "./prepare-table.js";

function portFlag(name: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`--${name} must be a port from 1 to 65535, not ${text}`);
  }
  return port;
}

/** Refuses a port something already listens on: the server started on it would fail behind a working one. */
function ensurePortFree(port: number, what: string, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () =>
      reject(new Error(`port ${port} is in use (${what} already running?); choose another with --${flag}`)),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      "dynamodb-port": { type: "string", default: "8000" },
      "redis-port": { type: "string", default: "6379" },
    },
  });
  const dynamoPort = portFlag("dynamodb-port", flags["dynamodb-port"]);
  const redisPort = portFlag("redis-port", flags["redis-port"]);
  const table = tableNameVar.parse(process.env.DYNAMODB_TABLE);
  await ensurePortFree(dynamoPort, "DynamoDB Local", "dynamodb-port");
  await ensurePortFree(redisPort, "redis-server", "redis-port");

  const started: ChildServer[] = [];
  stopOnSignals(
    () => started,
    (message) => console.log(`dev:deps: ${message}`),
  );
  const [dynamo, redis] = await Promise.allSettled([
    startDynamoDbLocal({ port: dynamoPort }),
    startRedisServer({ port: redisPort }),
  ]);
  const failures: string[] = [];
  for (const outcome of [dynamo, redis]) {
    if (outcome.status === "fulfilled") started.push(outcome.value);
    else failures.push((outcome.reason as Error).message);
  }
  if (dynamo.status === "rejected" || redis.status === "rejected") {
    await Promise.all(started.map((server) => server.stop()));
    throw new Error(failures.join("\n"));
  }
  const endpoint = dynamo.value.endpoint;
  const client = createDynamoDbClient({ region: "us-east-1", endpoint });
  try {
    for (const line of await prepareTable(client, table, endpoint)) console.log(line);
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()));
    throw error;
  } finally {
    client.destroy();
  }

  const tableVariable = table === tableNameVar.parse(undefined) ? "" : ` DYNAMODB_TABLE=${table}`;
  console.log(`DynamoDB Local on ${endpoint} (in memory: its data goes when it stops)`);
  console.log(`redis-server on ${redis.value.url} (no persistence)`);
  console.log("Run the exchange against them, from another terminal:");
  console.log(
    `  STORE=dynamodb DYNAMODB_ENDPOINT=${endpoint}${tableVariable} LOCKS=redis REDIS_URL=${redis.value.url} npm start`,
  );
  console.log("Ctrl-C stops both.");
}

try {
  await main();
} catch (error) {
  console.error(`dev:deps failed: ${(error as Error).message}`);
  process.exit(1);
}
