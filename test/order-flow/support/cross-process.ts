import { randomUUID } from "node:crypto";
import { RedisLockService } from "@bourse/common/locks";
import { createDynamoDbClient, DynamoDbStore, ensureTable } from "@bourse/common/storage";
import { type OrderFlowExchange, startOrderFlowExchange } from "./exchange.js";
import type { MatchingProcessEnv } from "./matching-process.js";

export interface CrossProcessOptions {
  readonly dynamoEndpoint: string;
  readonly redisUrl: string;
  /** The fresh table is named `<tablePrefix>-<uuid>`. */
  readonly tablePrefix: string;
  readonly markets: readonly string[];
  readonly leaseMs: number;
  /** Matching variables beyond the quick pending-order sweep every such test wants. */
  readonly matchingExtra?: Record<string, string>;
}

/**
 * The exchange as a deployment runs it, for tests that start matching in processes of their own: a fresh
 * table in DynamoDB Local, Redis locks, the other services in this process, and where matching processes
 * find all that (`matchingEnv`). `stop` ends the exchange and closes the table and the locks; the test stops
 * its matching processes.
 */
export interface CrossProcessExchange {
  readonly store: DynamoDbStore;
  readonly locks: RedisLockService;
  readonly exchange: OrderFlowExchange;
  readonly matchingEnv: MatchingProcessEnv;
  stop(): Promise<void>;
}

export async function startCrossProcessExchange(options: CrossProcessOptions): Promise<CrossProcessExchange> {
  const tableName = `${options.tablePrefix}-${randomUUID()}`;
  const client = createDynamoDbClient({ region: "us-east-1", endpoint: options.dynamoEndpoint });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  const store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: options.dynamoEndpoint });
  const locks = new RedisLockService({ url: options.redisUrl });
  const close = async () => {
    await locks.close();
    store.close();
  };
  let exchange: OrderFlowExchange;
  try {
    exchange = await startOrderFlowExchange(store, locks, {
      markets: options.markets,
      inProcessMatching: false,
      env: { MATCHING_CALL_BUDGET_MS: "1000" },
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    store,
    locks,
    exchange,
    matchingEnv: {
      dynamoEndpoint: options.dynamoEndpoint,
      tableName,
      redisUrl: options.redisUrl,
      serviceCredential: exchange.serviceCredential,
      markets: options.markets,
      leaseMs: options.leaseMs,
      extra: { MATCHING_SWEEP_INTERVAL_MS: "200", MATCHING_PENDING_AGE_MS: "500", ...options.matchingExtra },
    },
    async stop() {
      await exchange.stop();
      await close();
    },
  };
}
