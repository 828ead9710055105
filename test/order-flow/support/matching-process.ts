import { fileURLToPath } from "node:url";
import { freePort, type LaunchedProcess, launchTypeScript, waitForPort } from "@bourse/common/testing";

const entry = fileURLToPath(new URL("../../../services/matching/src/main.ts", import.meta.url));

/** Where the matching processes of a test find the shared table and locks, and what they run. */
export interface MatchingProcessEnv {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly redisUrl: string;
  readonly serviceCredential: string;
  readonly markets: readonly string[];
  readonly leaseMs: number;
  /** More matching variables (sweeper timings, say). */
  readonly extra?: Record<string, string>;
}

/** A matching service in a process of its own, as a deployment runs one replica; started once it listens. */
export interface MatchingProcess {
  readonly url: string;
  readonly process: LaunchedProcess;
  /** `kill -9`: no shutdown, no lease release, whatever was in flight is lost. */
  kill(): Promise<void>;
  /** Freezes the process (SIGSTOP): it keeps its sockets and believes it still owns its markets. */
  pause(): void;
  resume(): void;
  /** SIGTERM, then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export async function startMatchingProcess(env: MatchingProcessEnv, port?: number): Promise<MatchingProcess> {
  const rpcPort = port ?? (await freePort());
  const launched = launchTypeScript(entry, {
    env: {
      PATH: process.env.PATH,
      STORE: "dynamodb",
      DYNAMODB_ENDPOINT: env.dynamoEndpoint,
      DYNAMODB_TABLE: env.tableName,
      AWS_REGION: "us-east-1",
      LOCKS: "redis",
      REDIS_URL: env.redisUrl,
      SERVICE_CREDENTIAL: env.serviceCredential,
      MATCHING_MARKETS: env.markets.join(","),
      MATCHING_LEASE_MS: String(env.leaseMs),
      MATCHING_CLAIM_STAGGER_MS: "0",
      BIND_HOST: "127.0.0.1",
      RPC_PORT: String(rpcPort),
      ADMIN_PORT: "0",
      LOG_LEVEL: "info",
      ...env.extra,
    },
  });
  try {
    await waitForPort(rpcPort, 60_000, launched.child);
  } catch (error) {
    launched.child.kill("SIGKILL");
    throw new Error(`matching did not start: ${(error as Error).message}\n${launched.output()}`);
  }
  const exited = () => launched.child.exitCode !== null || launched.child.signalCode !== null;
  const signal = (name: NodeJS.Signals) => {
    if (!exited()) launched.child.kill(name);
  };
  return {
    url: `http://127.0.0.1:${rpcPort}`,
    process: launched,
    async kill() {
      signal("SIGKILL");
      await launched.exited;
    },
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    async stop() {
      if (exited()) return;
      signal("SIGCONT");
      const timer = setTimeout(() => signal("SIGKILL"), 5000);
      signal("SIGTERM");
      await launched.exited;
      clearTimeout(timer);
    },
  };
}
