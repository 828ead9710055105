import { connect } from "node:net";
import { describe, expect, inject, it } from "vitest";

function canConnect(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("test servers started by the global setup", () => {
  const dynamoEndpoint = inject("dynamoEndpoint");
  const redisUrl = inject("redisUrl");

  it.skipIf(!dynamoEndpoint)("DynamoDB Local accepts connections", async () => {
    expect(await canConnect(dynamoEndpoint ?? "")).toBe(true);
  });

  it.skipIf(!redisUrl)("redis-server accepts connections", async () => {
    expect(await canConnect(redisUrl ?? "")).toBe(true);
  });
});
