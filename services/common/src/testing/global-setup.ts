import type { TestProject } from "vitest/node";
import type { ChildServer } from "./child-server.js";
import { startDynamoDbLocal } from "./dynamodb-local.js";
import { startRedisServer } from "./redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local endpoint, or null when it could not start outside CI. */
    dynamoEndpoint: string | null;
    /** redis-server URL, or null when it could not start outside CI. */
    redisUrl: string | null;
  }
}

/**
 * Starts the real servers that integration tests use: DynamoDB Local and redis-server.
 * In CI (CI=true) a server that cannot start fails the run; on a developer machine the
 * suites that need it are skipped with a warning.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const inCi = process.env.CI === "true" || process.env.CI === "1";
  const started: ChildServer[] = [];

  async function tryStart<T extends ChildServer>(start: () => Promise<T>, label: string): Promise<T | null> {
    try {
      const server = await start();
      started.push(server);
      return server;
    } catch (error) {
      if (inCi) throw error;
      console.warn(`[tests] ${label} unavailable, its suites are skipped: ${(error as Error).message}`);
      return null;
    }
  }

  const [dynamo, redis] = await Promise.all([
    tryStart(startDynamoDbLocal, "DynamoDB Local"),
    tryStart(startRedisServer, "redis-server"),
  ]);
  project.provide("dynamoEndpoint", dynamo?.endpoint ?? null);
  project.provide("redisUrl", redis?.url ?? null);

  return async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
}
