import { once } from "node:events";
import { connect, createServer } from "node:net";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoDbClient } from "@bourse/common/storage";
import { freePort, launchTypeScript } from "@bourse/common/testing";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";

const entry = new URL("./dev-deps.ts", import.meta.url).pathname;

const launch = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  launchTypeScript(entry, { env: { ...process.env, ...env }, args });

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("npm run dev:deps", () => {
  it("starts DynamoDB Local with the table and redis-server, prints their environment, and stops both on SIGINT", async () => {
    const [dynamoPort, redisPort] = [await freePort(), await freePort()];
    const table = `dev-deps-${process.pid}`;
    const deps = launch(["--dynamodb-port", String(dynamoPort), "--redis-port", String(redisPort)], {
      DYNAMODB_TABLE: table,
    });
    try {
      const command = await deps.logLine(/ npm start$/);
      const endpoint = `http://127.0.0.1:${dynamoPort}`;
      const redisUrl = `redis://127.0.0.1:${redisPort}`;
      expect(command.trim()).toBe(
        `STORE=dynamodb DYNAMODB_ENDPOINT=${endpoint} DYNAMODB_TABLE=${table} LOCKS=redis REDIS_URL=${redisUrl} npm start`,
      );

      const dynamo = createDynamoDbClient({ region: "us-east-1", endpoint });
      try {
        const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
        expect(Table?.TableStatus).toBe("ACTIVE");
      } finally {
        dynamo.destroy();
      }
      const redis = new Redis(redisUrl);
      try {
        expect(await redis.ping()).toBe("PONG");
      } finally {
        redis.disconnect();
      }
    } finally {
      deps.child.kill("SIGINT");
    }
    expect(await deps.exited).toBe(0);
    expect(await accepts(dynamoPort)).toBe(false);
    expect(await accepts(redisPort)).toBe(false);
  });

  it("refuses a port that is already in use, naming it and its flag", async () => {
    const busy = createServer();
    busy.listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = (busy.address() as { port: number }).port;
    try {
      const deps = launch(["--dynamodb-port", String(await freePort()), "--redis-port", String(port)]);
      expect(await deps.exited).toBe(1);
      expect(deps.output()).toContain(`port ${port} is in use`);
      expect(deps.output()).toContain("--redis-port");
    } finally {
      busy.close();
    }
  });

  it("refuses a port that is not one", async () => {
    const deps = launch(["--redis-port", "70000"]);
    expect(await deps.exited).toBe(1);
    expect(deps.output()).toContain("--redis-port must be a port from 1 to 65535, not 70000");
  });
});
