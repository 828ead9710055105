/**
 * DESIGN §3.4 for the order flow (issue #9, "Must show"): one fenced writer per market.
 *
 * Two matching processes contend for one market. The owner is frozen (SIGSTOP) past its lease, the other
 * takes the market over and trades on it, and a command sent to the frozen one meanwhile runs on its
 * stale book when it wakes (SIGCONT): it stops owning the market, and nothing it does after is written.
 *
 * Whether the waking owner first notices its lost lease or first tries to settle is a race of its event
 * loop, so the second test makes the stale write certain: the owner's lease is long and still valid when a
 * newer owner's token lands on the market's fence (as after Redis lost the lock), and its next settlement
 * must be refused by the fence itself.
 */
import { type DynamoDbStore, toBigInt } from "@bourse/common/storage";
import { rpcError } from "@bourse/common/testing";
import { marketSequenceKey, readMarketFence } from "@bourse/ledger";
import { BookState } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { marketBookKey } from "@bourse/trading";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CrossProcessExchange, startCrossProcessExchange } from "./support/cross-process.js";
import { eventually } from "./support/eventually.js";
import { matchingClient, type OrderFlowExchange, waitUntilOwned } from "./support/exchange.js";
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
    let crossProcess: CrossProcessExchange | undefined;
    let store: DynamoDbStore;
    let exchange: OrderFlowExchange;
    let matchingEnv: MatchingProcessEnv;
    const replicas: MatchingProcess[] = [];

    beforeAll(async () => {
      crossProcess = await startCrossProcessExchange({
        dynamoEndpoint: dynamoEndpoint ?? "",
        redisUrl: redisUrl ?? "",
        tablePrefix: "fencing",
        markets: [market],
        leaseMs: LEASE_MS,
      });
      ({ store, exchange, matchingEnv } = crossProcess);
      replicas.push(await startMatchingProcess(matchingEnv));
      await waitUntilOwned(
        matchingClient(replicas[0]?.url ?? "", exchange.serviceCredential),
        [market],
        60_000,
      );
      replicas.push(await startMatchingProcess(matchingEnv));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await crossProcess?.stop();
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
      await eventually(
        "the new owner fills the bid",
        async () => viewOrder(await buyer.order(bidId)).status === "FILLED",
        () => next.process.output(),
      );
      const settled = await store.get(marketBookKey(market));

      stale.resume();
      const refused = await staleCancel;
      expect(refused.code).toBe(Code.Unavailable);
      await eventually(
        "the stale owner gives the market up",
        async () => (await staleClient.getBookStatus({ market })).state === BookState.NOT_OWNED,
        () => stale.process.output(),
      );

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

    it("refuses a settlement whose fencing token is no longer the market's, even under a valid lease", async () => {
      const fenced = "SOL-USD";
      const owner = await startMatchingProcess({ ...matchingEnv, markets: [fenced], leaseMs: 60_000 });
      replicas.push(owner);
      const ownerClient = matchingClient(owner.url, exchange.serviceCredential);
      await waitUntilOwned(ownerClient, [fenced], 60_000);
      const seller = await exchange.trader({ SOL: "1" });
      const ask = await seller.place({ market: fenced, side: "sell", price: "100", quantity: "0.1" });
      const askId = ask.order?.id ?? "";
      expect(viewOrder(ask.order).status).toBe("NEW");
      const book = await store.get(marketBookKey(fenced));

      // A newer owner's claim: its token on the fence. The old owner's lease has a minute left.
      const { fencingToken } = await ownerClient.getBookStatus({ market: fenced });
      await store.update(marketSequenceKey(fenced), { set: { fencingToken: fencingToken + 1n } });

      const refused = await rpcError(
        ownerClient.cancelOrder({ market: fenced, orderId: askId, accountId: seller.accountId }),
      );
      expect(refused.message).toContain(fenced);
      await owner.process.logLine(/the fence of SOL-USD refused a settlement/);
      expect((await ownerClient.getBookStatus({ market: fenced })).state).toBe(BookState.NOT_OWNED);

      expect(viewOrder(await seller.order(askId))).toMatchObject({ status: "NEW", filled: "0" });
      expect(await seller.balances()).toEqual({ SOL: { available: "0.9", held: "0.1" } });
      expect(await store.get(marketBookKey(fenced))).toEqual(book);
      expect(await orderFlowProblems(store, exchange.accountIds)).toEqual([]);
    }, 90_000);
  },
);
