/**
 * DESIGN §3.5 for the order flow (issue #9, "Must show"): matching runs in a process of its own on DynamoDB
 * Local and Redis, several users trade at random through the orders service, and the test kills matching
 * with SIGKILL at random moments and starts it again. Afterwards no acknowledged order is lost, no trade is
 * settled twice, the ledger audit balances, and a book rebuilt after a crash is the book before it.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisLockService } from "@bourse/common/locks";
import { formatDecimal, parseDecimal } from "@bourse/common/money";
import { createDynamoDbClient, DynamoDbStore, ensureTable, toBigInt } from "@bourse/common/storage";
import { freePort } from "@bourse/common/testing";
import { tradeSettlementKey } from "@bourse/ledger";
import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { OPEN_STATES, type OrderRecord, orderFromItem, orderKey } from "@bourse/trading";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  bookStatusView,
  priorityOf,
  type RestingOrder,
  restingOrders,
  statusOfStoredBook,
  storedOpenOrders,
  totalRemaining,
} from "./support/book.js";
import { eventually } from "./support/eventually.js";
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
import { seededRandom } from "./support/random.js";
import { takerSettlementStamps, takerTrades, tookSince } from "./support/settlements.js";
import type { Trader } from "./support/trader.js";

const markets = ["XRP-USD", "ADA-USD"] as const;
const TRADERS = 4;
const ACTIONS_PER_TRADER = 40;
const KILLS = 3;
const LEASE_MS = 1500;
/**
 * Settlement transactions of at most this many items hold one fill each (one takes up to 23), so every sweep
 * spans several transactions and a kill can fall between two of them.
 */
const MAX_TRANSACTION_ITEMS = 24;

/** A sweep a trader sent, for a kill to aim at. */
interface SentSweep {
  readonly accountId: string;
  readonly sent: Date;
}

/** What PlaceOrder or CancelOrder acknowledged: the order existed with this status and fill then. */
interface Acknowledged {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly filledQuantity: string;
}

const finalStatuses = new Set([
  OrderStatus.FILLED,
  OrderStatus.CANCELED,
  OrderStatus.REJECTED,
  OrderStatus.EXPIRED,
]);

const dynamoEndpoint = inject("dynamoEndpoint");
const redisUrl = inject("redisUrl");

describe.skipIf(!dynamoEndpoint || !redisUrl)(
  "matching killed at random while users trade [dynamodb, redis]",
  () => {
    const seed = Number(process.env.ORDER_FLOW_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    let store: DynamoDbStore;
    let locks: RedisLockService;
    let exchange: OrderFlowExchange;
    let matchingEnv: MatchingProcessEnv;
    let matchingPort: number;
    let matching: MatchingProcess | undefined;

    const startMatching = async () => {
      matching = await startMatchingProcess(matchingEnv, matchingPort);
      await waitUntilOwned(matchingClient(matching.url, exchange.serviceCredential), markets, 60_000).catch(
        (error) => {
          throw new Error(`${(error as Error).message}\n${matching?.process.output()}`);
        },
      );
    };

    beforeAll(async () => {
      const tableName = `crash-${randomUUID()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      try {
        await ensureTable(client, tableName);
      } finally {
        client.destroy();
      }
      store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      locks = new RedisLockService({ url: redisUrl ?? "" });
      exchange = await startOrderFlowExchange(store, locks, {
        markets,
        inProcessMatching: false,
        env: { MATCHING_CALL_BUDGET_MS: "1000" },
      });
      matchingPort = await freePort();
      matchingEnv = {
        dynamoEndpoint: dynamoEndpoint ?? "",
        tableName,
        redisUrl: redisUrl ?? "",
        serviceCredential: exchange.serviceCredential,
        markets,
        leaseMs: LEASE_MS,
        extra: {
          MATCHING_SWEEP_INTERVAL_MS: "200",
          MATCHING_PENDING_AGE_MS: "500",
          MATCHING_MAX_TRANSACTION_ITEMS: String(MAX_TRANSACTION_ITEMS),
        },
      };
      await startMatching();
    }, 120_000);

    afterAll(async () => {
      await matching?.stop();
      await exchange?.stop();
      await locks?.close();
      store?.close();
    });

    /** Settles when a trader next sends a sweep, or with nothing once they have all stopped. */
    let announceSweep: (sweep: SentSweep | undefined) => void = () => {};
    let nextSweep = new Promise<SentSweep | undefined>((resolve) => {
      announceSweep = resolve;
    });
    const sweepSent = (sweep: SentSweep) => {
      announceSweep(sweep);
      nextSweep = new Promise((resolve) => {
        announceSweep = resolve;
      });
    };

    /** One user's random orders and cancels; returns what the exchange acknowledged. */
    async function trade(trader: Trader, acknowledged: Acknowledged[], unexpected: string[]): Promise<void> {
      const open: string[] = [];
      for (let action = 0; action < ACTIONS_PER_TRADER; action++) {
        const market = random.pick(markets);
        const roll = random.next();
        const cancel = roll < 0.2 && open.length > 0;
        try {
          if (cancel) {
            const orderId = open.splice(random.int(0, open.length - 1), 1)[0] as string;
            const order = await trader.cancel(orderId);
            acknowledged.push({ orderId, status: order.status, filledQuantity: order.filledQuantity });
            continue;
          }
          const side = random.next() < 0.5 ? "buy" : "sell";
          // Sweeps through many levels need more than one settlement transaction, so a kill can fall
          // between two transactions of one order. Bids and asks overlap only around 100, so that the books
          // keep the depth for sweeps to cross while other orders still trade.
          const sweep = roll >= 0.25 && roll < 0.3;
          const limitPrice = side === "buy" ? random.int(95, 101) : random.int(99, 105);
          if (sweep) sweepSent({ accountId: trader.accountId, sent: new Date() });
          const placed =
            roll < 0.25 && side === "buy"
              ? await trader.place({ market, side, type: "market", quoteAmount: "20" })
              : await trader.place({
                  market,
                  side,
                  price: sweep ? (side === "buy" ? "106" : "95") : `${limitPrice}.${random.int(0, 9)}`,
                  quantity: String(sweep ? 40 : random.int(1, 5)),
                  timeInForce: roll < 0.4 ? "IOC" : "GTC",
                });
          const order = placed.order;
          if (!order) throw new Error("PlaceOrder answered without an order");
          acknowledged.push({
            orderId: order.id,
            status: order.status,
            filledQuantity: order.filledQuantity,
          });
          if (!finalStatuses.has(order.status)) open.push(order.id);
        } catch (error) {
          const code = ConnectError.from(error).code;
          // While matching is down a cancel cannot be served, and an order may no longer be cancelable.
          if (![Code.Unavailable, Code.DeadlineExceeded, Code.FailedPrecondition].includes(code)) {
            unexpected.push(
              `${cancel ? "CancelOrder" : "PlaceOrder"}: ${Code[code]}: ${(error as Error).message}`,
            );
          }
        }
      }
    }

    /**
     * Kills matching at random moments while the users trade, and starts it again each time. Each kill aims
     * at a sweep: it comes just after the sweep's first fill committed, while its next fills, one per
     * transaction, are still to come.
     */
    async function crashRepeatedly(kills: number[]): Promise<void> {
      for (let kill = 0; kill < KILLS; kill++) {
        await sleep(random.int(300, 1500));
        const sweep = await nextSweep;
        if (sweep) await firstFill(sweep);
        await sleep(random.int(0, 100));
        await matching?.kill();
        kills.push(Date.now());
        await sleep(random.int(0, 300));
        await startMatching();
      }
    }

    /** Waits until the sweep's first fill has committed, or a while: an empty side gives it none. */
    async function firstFill(sweep: SentSweep): Promise<void> {
      const giveUp = Date.now() + 2_000;
      while (Date.now() < giveUp && !(await tookSince(store, sweep.accountId, sweep.sent))) await sleep(20);
    }

    /** Waits until every accepted order of the markets has been through matching. */
    async function quiesce(): Promise<void> {
      await eventually(
        "matching has processed every accepted order",
        async () => {
          const open = await Promise.all(markets.map((market) => storedOpenOrders(store, market)));
          return open.flat().every((order) => order.bookSeq !== undefined);
        },
        () => matching?.process.output() ?? "",
      );
    }

    const storedOrder = async (orderId: string): Promise<OrderRecord | undefined> => {
      const item = await store.get(orderKey(orderId));
      return item && orderFromItem(item);
    };

    it("loses no acknowledged order, settles no trade twice, rebuilds the same books and balances the ledger", async () => {
      const traders = await Promise.all(
        Array.from({ length: TRADERS }, () =>
          exchange.trader({ USD: "100000", XRP: "100000", ADA: "100000" }),
        ),
      );
      const acknowledged: Acknowledged[] = [];
      const unexpected: string[] = [];
      const kills: number[] = [];
      const trading = Promise.all(traders.map((trader) => trade(trader, acknowledged, unexpected)));
      await Promise.all([trading.finally(() => announceSweep(undefined)), crashRepeatedly(kills)]);
      await quiesce();

      const context = `seed ${seed}`;
      expect(kills, context).toHaveLength(KILLS);
      expect(unexpected, context).toEqual([]);
      expect(acknowledged.length, context).toBeGreaterThan(0);
      for (const ack of acknowledged) {
        const stored = await storedOrder(ack.orderId);
        expect(stored, `${context}: acknowledged order ${ack.orderId}`).toBeDefined();
        if (!stored) continue;
        const where = `${context}: ${ack.orderId} was acknowledged ${OrderStatus[ack.status]}`;
        if (finalStatuses.has(ack.status)) expect(stored.status, where).toBe(OrderStatus[ack.status]);
        expect(stored.filledBase >= parseDecimal(ack.filledQuantity, stored.baseScale), where).toBe(true);
      }
      expect(await orderFlowProblems(store, exchange.accountIds), context).toEqual([]);

      // The cut the crashes are meant to fall into happened: some order's fills took several transactions.
      const takers = [...new Set(acknowledged.map((ack) => ack.orderId))];
      const transactions = await Promise.all(
        takers.map(async (orderId) => (await takerSettlementStamps(store, orderId)).length),
      );
      expect(
        Math.max(0, ...transactions),
        `${context}: most transactions of one order's fills`,
      ).toBeGreaterThan(1);

      // One more crash with the books at rest: the rebuilt book must be the stored one, which is the one
      // the process had. GetBookStatus shows the running book; a sweep of each side shows its priority.
      const client = () => matchingClient(matching?.url ?? "", exchange.serviceCredential);
      const before = new Map<string, { sequence: bigint; resting: OrderRecord[] }>();
      for (const market of markets) {
        const status = await client().getBookStatus({ market });
        const resting = await storedOpenOrders(store, market);
        expect(bookStatusView(status), `${context}: ${market} before the crash`).toEqual(
          statusOfStoredBook(resting),
        );
        before.set(market, { sequence: status.sequence, resting });
      }
      const resting = [...before.values()].reduce((count, book) => count + book.resting.length, 0);
      expect(resting, `${context}: orders resting before the last crash`).toBeGreaterThan(1);
      await matching?.kill();
      await startMatching();
      for (const market of markets) {
        const status = await client().getBookStatus({ market });
        const stored = before.get(market);
        expect(status.sequence, `${context}: ${market} sequence after the crash`).toBe(stored?.sequence);
        expect(bookStatusView(status), `${context}: ${market} after the crash`).toEqual(
          statusOfStoredBook(stored?.resting ?? []),
        );
      }

      const prober = await exchange.trader({ USD: "10000000", XRP: "1000000", ADA: "1000000" });
      for (const market of markets) {
        const { bids, asks } = priorityOf(before.get(market)?.resting ?? []);
        const sweeps = [
          { side: "sell" as const, book: bids, counterpart: "buyerOrderId" },
          { side: "buy" as const, book: asks, counterpart: "sellerOrderId" },
        ];
        for (const { side, book, counterpart } of sweeps) {
          const last = book.at(-1);
          if (!last) continue;
          const quantity = totalRemaining(book);
          const placed = await prober.place({
            market,
            side,
            price: last.price,
            quantity: formatDecimal(quantity, last.baseScale, { trimZeros: true }),
            timeInForce: "IOC",
          });
          const sweepId = placed.order?.id ?? "";
          // One fill per transaction: a long sweep may outlast the orders service's matching budget, and
          // PlaceOrder then answers before it is done. Its trades are read from the table once it is.
          await eventually(
            `the ${market} ${side} sweep is done`,
            async () => {
              const sweep = await storedOrder(sweepId);
              if (sweep === undefined || OPEN_STATES.has(sweep.status)) return false;
              const fills = await takerTrades(store, sweepId);
              return fills.reduce((sum, fill) => sum + fill.quantity, 0n) === sweep.filledBase;
            },
            () => matching?.process.output() ?? "",
          );
          const met: RestingOrder[] = [];
          for (const fill of await takerTrades(store, sweepId)) {
            const record = await store.get(tradeSettlementKey(market, fill.tradeId));
            met.push({ orderId: String(record?.[counterpart]), remaining: toBigInt(record?.quantity) });
          }
          expect(met, `${context}: ${market} ${side} sweep`).toEqual(restingOrders(book));
        }
        expect((await client().getBookStatus({ market })).openOrderCount, `${context}: ${market} swept`).toBe(
          0,
        );
      }
      expect(await orderFlowProblems(store, exchange.accountIds), context).toEqual([]);
    }, 170_000);
  },
);
