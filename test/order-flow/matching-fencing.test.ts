/**
 * DESIGN §3.4 for the order flow (issue #9, "Must show"): two matching processes contend for one market.
 * The owner is frozen (SIGSTOP) past its lease, the other takes the market over and trades on it, and a
 * command queued on the frozen one meanwhile runs on its stale book when it wakes (SIGCONT). The table's
 * fence refuses what it would settle: it stops owning the market, and nothing it did after is written.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisLockService } from "@bourse/common/locks";
import { createDynamoDbClient, DynamoDbStore, ensureTable, toBigInt } from "@bourse/common/storage";
import { rpcError } from "@bourse/common/testing";
import { marketSequenceKey, readMarketFence } from "@bourse/ledger";
import { BookState } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { marketBookKey } from "@bourse/trading";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  matchingClient,
  type OrderFlowExchange,
  startOrderFlowExchange,
  waitUntilOwned,
} from "./support/exchange.js";
import { orderFlowProblems } from "./support/invariants.js";
import {
  type MatchingProcess,
  type MatchingProcessEnv,
  startMatchingProcess,
} from "./support/matching-process.js";
import { viewOrder } from "./support/views.js";

const market = "BTC-USD";
const LEASE_MS = 1500;

const dynamoEndpoint = inject("dynamoEndpoint");
const redisUrl = inject("redisUrl");

describe.skipIf(!dynamoEndpoint || !redisUrl)(
  "a paused matching owner is fenced out [dynamodb, redis]",
  () => {
    let store: DynamoDbStore;
    let locks: RedisLockService;
    let exchange: OrderFlowExchange;
    const replicas: MatchingProcess[] = [];

    beforeAll(async () => {
      const tableName = `fencing-${randomUUID()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      try {
        await ensureTable(client, tableName);
      } finally {
        client.destroy();
      }
      store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      locks = new RedisLockService({ url: redisUrl ?? "" });
      exchange = await startOrderFlowExchange(store, locks, {
        markets: [market],
        inProcessMatching: false,
        env: { MATCHING_CALL_BUDGET_MS: "1000" },
      });
      const env: MatchingProcessEnv = {
        dynamoEndpoint: dynamoEndpoint ?? "",
        tableName,
        redisUrl: redisUrl ?? "",
        serviceCredential: exchange.serviceCredential,
        markets: [market],
        leaseMs: LEASE_MS,
        extra: { MATCHING_SWEEP_INTERVAL_MS: "200", MATCHING_PENDING_AGE_MS: "500" },
      };
      replicas.push(await startMatchingProcess(env));
      await waitUntilOwned(
        matchingClient(replicas[0]?.url ?? "", exchange.serviceCredential),
        [market],
        60_000,
      );
      replicas.push(await startMatchingProcess(env));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await exchange?.stop();
      await locks?.close();
      store?.close();
    });

    it("refuses the stale owner's settlement once the other replica has taken the market", async () => {
      const [stale, next] = replicas as [MatchingProcess, MatchingProcess];
      const staleClient = matchingClient(stale.url, exchange.serviceCredential);
      const nextClient = matchingClient(next.url, exchange.serviceCredential);
      const seller = await exchange.trader({ BTC: "1" });
      const buyer = await exchange.trader({ USD: "100" });
      expect((await nextClient.getBookStatus({ market })).state).toBe(BookState.NOT_OWNED);

      const ask = await seller.place({ market, side: "sell", price: "100", quantity: "0.1" });
      const askId = ask.order?.id ?? "";
      expect(viewOrder(ask.order).status).toBe("NEW");
      const staleToken = (await staleClient.getBookStatus({ market })).fencingToken;

      stale.pause();
      // Queued on the frozen owner, whose book still has the ask: it runs when the process wakes.
      const staleCancel = rpcError(
        staleClient.cancelOrder(
          { market, orderId: askId, accountId: seller.accountId },
          { timeoutMs: 60_000 },
        ),
      );
      await waitUntilOwned(nextClient, [market], 30_000);
      const nextStatus = await nextClient.getBookStatus({ market });
      expect(nextStatus.fencingToken).toBeGreaterThan(staleToken);
      expect(await readMarketFence(store, market)).toBe(nextStatus.fencingToken);

      // The new owner trades the ask away: the buyer's order fills (at once, or by the owner's sweep of
      // pending orders if the orders service first tried the frozen one).
      const bid = await buyer.place({ market, side: "buy", price: "100", quantity: "0.1" });
      const bidId = bid.order?.id ?? "";
      for (let attempt = 0; viewOrder(await buyer.order(bidId)).status !== "FILLED"; attempt++) {
        if (attempt > 200)
          throw new Error(`the bid was not filled by the new owner:\n${next.process.output()}`);
        await sleep(50);
      }
      const settled = await store.get(marketBookKey(market));

      stale.resume();
      const refused = await staleCancel;
      expect(refused.message).not.toBe("");
      for (
        let attempt = 0;
        (await staleClient.getBookStatus({ market })).state !== BookState.NOT_OWNED;
        attempt++
      ) {
        if (attempt > 200) throw new Error(`the stale owner kept the market:\n${stale.process.output()}`);
        await sleep(50);
      }

      // Nothing the stale owner did after waking is in the table: the ask stays filled, not canceled, the
      // book's sequence and the fence are the new owner's, and the ledger balances.
      expect(viewOrder(await seller.order(askId))).toMatchObject({ status: "FILLED", filled: "0.1" });
      expect(await buyer.balances()).toEqual({
        USD: { available: "89.98", held: "0" },
        BTC: { available: "0.1", held: "0" },
      });
      expect(await store.get(marketBookKey(market))).toEqual(settled);
      expect(toBigInt((await store.get(marketSequenceKey(market)))?.fencingToken)).toBe(
        nextStatus.fencingToken,
      );
      const after = await nextClient.getBookStatus({ market });
      expect(after.state).toBe(BookState.ACTIVE);
      expect(after.fencingToken).toBe(nextStatus.fencingToken);
      expect(await orderFlowProblems(store, exchange.accountIds)).toEqual([]);
    }, 90_000);
  },
);
