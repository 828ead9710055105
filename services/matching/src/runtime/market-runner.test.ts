import { createLogger } from "@bourse/common";
import type { Lease } from "@bourse/common/locks";
import { type GetOptions, type Key, queryAll, type Store } from "@bourse/common/storage";
import {
  describeWithStores,
  type LockHarness,
  memoryLockHarness,
  redisLockHarness,
  rpcError,
} from "@bourse/common/testing";
import {
  auditLedger,
  claimMarket,
  createStampFactory,
  feeAccountId,
  readBalance,
  tradeSettlementKey,
} from "@bourse/ledger";
import { orderTradesPartition, type TradingMarket } from "@bourse/trading";
import { Code } from "@connectrpc/connect";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIN_TRANSACTION_ITEMS } from "../config.js";
import { readOrder } from "../store/book-reads.js";
import { FenceLostError } from "../store/settlement-errors.js";
import { acceptOrder, newAccountId, type PlacedOrder, seedMarket } from "../testing/matching-fixtures.js";
import type { CommittedOutcomes, MarketListener } from "./market-listener.js";
import { recoverMarket } from "./market-recovery.js";
import { MarketRunner } from "./market-runner.js";
import { createMatchingMetrics } from "./matching-metrics.js";

const LEASE_MS = 400;
const logger = createLogger("matching-test", { level: "silent" });

interface Instance {
  readonly lease: Lease;
  readonly runner: MarketRunner;
  readonly failures: unknown[];
}

/** Wraps a store so that its `n`th transaction dies before it reaches the table, as a killed process's would. */
function dyingAtTransaction(store: Store, n: number): Store {
  let transactions = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "transactWrite") {
        return async (items: Parameters<Store["transactWrite"]>[0]) => {
          if (++transactions === n) throw new Error("the process died");
          return target.transactWrite(items);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Wraps a store so that the size of every transaction it writes is recorded in `sizes`. */
function measuringTransactions(store: Store, sizes: number[]): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "transactWrite") {
        return (items: Parameters<Store["transactWrite"]>[0]) => {
          sizes.push(items.length);
          return target.transactWrite(items);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Wraps a store so that the id of every order it reads (one by one or in batches) is recorded in `reads`. */
function recordingOrderReads(store: Store, reads: string[]): Store {
  const record = (keys: readonly Key[]) => {
    for (const key of keys) if (key.PK.startsWith("ORDER#")) reads.push(key.PK.slice("ORDER#".length));
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "get") {
        return (key: Key, options?: GetOptions) => {
          record([key]);
          return target.get(key, options);
        };
      }
      if (property === "getMany") {
        return (keys: readonly Key[], options?: GetOptions) => {
          record(keys);
          return target.getMany(keys, options);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function runnerSuite(store: () => Store, makeLocks: () => LockHarness) {
  let locks: LockHarness;
  beforeAll(() => {
    locks = makeLocks();
  });
  afterAll(() => locks.close());

  /** A matching process taking the market: claim, rebuild from the table, submit the pending orders. */
  async function takeMarket(
    market: TradingMarket,
    options: {
      store?: Store;
      maxTransactionItems?: number;
      now?: () => Date;
      listeners?: readonly MarketListener[];
    } = {},
  ): Promise<Instance> {
    const table = options.store ?? store();
    const lease = await claimMarket(locks.open(), store(), market.symbol, { ttlMs: LEASE_MS });
    const { book, pending } = await recoverMarket(store(), market.symbol);
    const failures: unknown[] = [];
    const runner = new MarketRunner({
      market: market.symbol,
      book,
      store: table,
      fencingToken: lease.fencingToken,
      stamp: createStampFactory(),
      now: options.now ?? (() => new Date()),
      metrics: createMatchingMetrics(new Registry()),
      logger,
      maxBatchCommands: 256,
      maxQueue: 1000,
      maxTransactionItems: options.maxTransactionItems,
      listeners: options.listeners,
      onFailure: (error) => failures.push(error),
    });
    runner.resubmit(pending, true);
    return { lease, runner, failures };
  }

  /** The process holding the lease dies: nothing is released, the lease just runs out. */
  const dies = () => locks.pass(LEASE_MS + 100);

  const place = async (instance: Instance, market: TradingMarket, order: PlacedOrder) => {
    const record = await acceptOrder(store(), market, order);
    return instance.runner.run({ kind: "submit", orderId: record.orderId, accountId: record.accountId });
  };

  it("takes an order handed over in-process as it is, and reads it once it has processed it", async () => {
    const market = await seedMarket(store());
    const reads: string[] = [];
    // The runner's clock is behind: the orders are surely created after it started.
    const instance = await takeMarket(market, {
      store: recordingOrderReads(store(), reads),
      now: () => new Date(Date.now() - 1000),
    });
    const ask = await acceptOrder(store(), market, {
      accountId: newAccountId(),
      side: "sell",
      price: "100.00",
      quantity: "1.000",
    });
    const bid = await acceptOrder(store(), market, {
      accountId: newAccountId(),
      side: "buy",
      price: "100.00",
      quantity: "1.000",
    });
    await instance.runner.run({ kind: "submit", orderId: ask.orderId, stored: ask });
    const filled = await instance.runner.run({ kind: "submit", orderId: bid.orderId, stored: bid });
    expect(filled.report.order).toMatchObject({ status: "FILLED", filledBase: 100_000_000n });
    expect(reads).toEqual([]);

    // The same record handed over again is stale now (the bid filled): it is read, and the submit replayed.
    const again = await instance.runner.run({ kind: "submit", orderId: bid.orderId, stored: bid });
    expect(again).toMatchObject({ replayed: true, report: { order: { status: "FILLED" } } });
    expect(reads).toEqual([bid.orderId]);
    expect((await readBalance(store(), bid.accountId, market.base))?.available).toBe(100_000_000n);
    await instance.lease.release();
  });

  it("rebuilds the same book, pending orders included, after the owner died without stopping", async () => {
    const market = await seedMarket(store());
    const first = await takeMarket(market);
    const [alice, bob, carol] = [newAccountId(), newAccountId(), newAccountId()];
    await place(first, market, { accountId: alice, side: "buy", price: "100.00", quantity: "1.000" });
    await place(first, market, { accountId: bob, side: "buy", price: "100.00", quantity: "0.500" });
    await place(first, market, { accountId: alice, side: "buy", price: "99.50", quantity: "2.000" });
    await place(first, market, { accountId: carol, side: "sell", price: "101.00", quantity: "1.000" });
    await place(first, market, { accountId: bob, side: "sell", price: "102.00", quantity: "3.000" });
    // A taker that fills alice's first order in part: the rebuilt book must keep her remainder first.
    const taker = await place(first, market, {
      accountId: carol,
      side: "sell",
      price: "100.00",
      quantity: "0.400",
    });
    expect(taker.report.order.status).toBe("FILLED");
    const amended = await first.runner.run({
      kind: "amend",
      orderId: (first.runner.book.restingRecords().at(-1) as { orderId: string }).orderId,
      accountId: bob,
      change: { remainingQuantity: "2.500" },
    });
    expect(amended.report.order.status).toBe("NEW");
    // Accepted by orders, never submitted: its submitter died with the matcher.
    const unsubmitted = await acceptOrder(store(), market, {
      accountId: bob,
      side: "sell",
      price: "99.50",
      quantity: "0.2",
    });
    const before = first.runner.book.restingRecords();
    const seqBefore = first.runner.book.seq;

    await dies();
    const second = await takeMarket(market);
    expect(second.lease.fencingToken).toBeGreaterThan(first.lease.fencingToken);
    expect(second.runner.book.seq).toBe(seqBefore);
    expect(second.runner.book.restingRecords()).toEqual(before);

    // The pending order runs first, against the rebuilt book: it fills at alice's 100.00 ahead of bob's.
    const resumed = await second.runner.run({ kind: "submit", orderId: unsubmitted.orderId });
    expect(resumed.replayed).toBe(true);
    expect(resumed.report.order).toMatchObject({ status: "FILLED", filledBase: 20_000_000n });
    expect((await readOrder(store(), unsubmitted.orderId))?.status).toBe("FILLED");
    await second.lease.release();
  });

  it("finishes a sweep cut between two transactions exactly once", async () => {
    const market = await seedMarket(store());
    const makers = Array.from({ length: 5 }, () => newAccountId());
    const setup = await takeMarket(market);
    const makerOrders = [];
    for (const [index, accountId] of makers.entries()) {
      const price = `${100 + index}.00`;
      makerOrders.push(
        (await place(setup, market, { accountId, side: "sell", price, quantity: "1.000" })).report.order,
      );
    }
    await setup.lease.release();

    // Small transactions cut the sweep over several; the process dies before its second one.
    const buyer = newAccountId();
    const dying = await takeMarket(market, {
      store: dyingAtTransaction(store(), 2),
      maxTransactionItems: 40,
    });
    const taker = await acceptOrder(store(), market, {
      accountId: buyer,
      side: "buy",
      price: "104.00",
      quantity: "5.000",
    });
    const error = await rpcError(dying.runner.run({ kind: "submit", orderId: taker.orderId }));
    expect(error.code).toBe(Code.Unavailable);
    expect(dying.runner.stopped).toBe(true);
    const cut = await readOrder(store(), taker.orderId);
    expect(cut?.bookSeq).toBeUndefined();
    expect(cut?.filledBase).toBeGreaterThan(0n);
    expect(cut?.filledBase).toBeLessThan(500_000_000n);

    await dies();
    const recovered = await takeMarket(market, { maxTransactionItems: 40 });
    const done = await recovered.runner.run({ kind: "submit", orderId: taker.orderId });
    expect(done.report.order).toMatchObject({ status: "FILLED", filledBase: 500_000_000n });

    // One trade per maker, each settled once, and the buyer got exactly the quantity it paid for.
    const trades = await queryAll(store(), { index: "GSI1", partition: orderTradesPartition(taker.orderId) });
    expect(trades).toHaveLength(5);
    expect(new Set(trades.map((trade) => trade.tradeId)).size).toBe(5);
    for (const trade of trades) {
      expect(await store().get(tradeSettlementKey(market.symbol, String(trade.tradeId)))).toBeDefined();
    }
    for (const maker of makerOrders) {
      expect((await readOrder(store(), maker.orderId))?.status).toBe("FILLED");
    }
    expect(await readBalance(store(), buyer, market.base)).toMatchObject({
      available: 500_000_000n,
      held: 0n,
    });
    const quote = await readBalance(store(), buyer, market.quote);
    expect(quote?.held).toBe(0n);
    // 510.00 of notional at the maker's prices plus the 0.2% taker fee floored per fill (0.20 each); the rest came back.
    expect(quote?.available).toBe(taker.holdAmount - 51_000n - 100n);
    expect((await auditLedger(store())).discrepancies).toEqual([]);
    await recovered.lease.release();
  });

  it("tells its listeners the book it starts on, each outcome once it committed with the balances it left, and its stop", async () => {
    const market = await seedMarket(store());
    const told: string[] = [];
    const batches: CommittedOutcomes[] = [];
    const tokens: bigint[] = [];
    const listener: MarketListener = {
      started: (symbol, book, fencingToken) => {
        told.push(`started ${symbol} at ${book.seq}`);
        tokens.push(fencingToken);
      },
      committed: (batch) => {
        told.push(`committed ${batch.outcomes.length}`);
        batches.push(batch);
      },
      stopped: (symbol) => told.push(`stopped ${symbol}`),
    };
    const throwing: MarketListener = {
      started: () => {},
      committed: () => {
        throw new Error("a listener's own fault");
      },
      stopped: () => {},
    };
    // Small transactions cut the sweep over several: the taker's outcome is told once, after its last part.
    const instance = await takeMarket(market, { listeners: [listener, throwing], maxTransactionItems: 40 });
    const [seller, buyer] = [newAccountId(), newAccountId()];
    for (const price of ["100.00", "101.00", "102.00"]) {
      await place(instance, market, { accountId: seller, side: "sell", price, quantity: "1.000" });
    }
    const taken = await place(instance, market, {
      accountId: buyer,
      side: "buy",
      price: "102.00",
      quantity: "3.000",
    });
    expect(taken.report.order.status).toBe("FILLED");
    instance.runner.stop("test over");

    expect(told).toEqual([
      `started ${market.symbol} at 0`,
      "committed 1",
      "committed 1",
      "committed 1",
      "committed 1",
      `stopped ${market.symbol}`,
    ]);
    expect(tokens).toEqual([instance.lease.fencingToken]);
    const last = batches.at(-1) as CommittedOutcomes;
    expect(last.outcomes[0]?.steps).toHaveLength(3);
    // The balances are the ones the table holds now, each with its version.
    for (const balance of last.balances) {
      const stored = await readBalance(store(), balance.accountId, balance.asset);
      expect(stored).toMatchObject({
        available: balance.available,
        held: balance.held,
        version: balance.version,
      });
    }
    expect(new Set(last.balances.map((balance) => balance.accountId))).toEqual(
      new Set([seller, buyer, feeAccountId(market.symbol)]),
    );
    expect(instance.failures).toEqual([]);
    await instance.lease.release();
  });

  it("settles one fill per transaction at the smallest transaction size the configuration allows", async () => {
    const market = await seedMarket(store());
    const setup = await takeMarket(market);
    // Buying makers that leave the book: each fill also releases the rest of the maker's fee reserve, the
    // most items one fill takes.
    for (let level = 0; level < 4; level++) {
      const maker = { accountId: newAccountId(), side: "buy" as const, quantity: "1.0" };
      await place(setup, market, { ...maker, price: `${100 - level}.0` });
    }
    await setup.lease.release();

    const sizes: number[] = [];
    const smallest = await takeMarket(market, {
      store: measuringTransactions(store(), sizes),
      maxTransactionItems: MIN_TRANSACTION_ITEMS,
    });
    const sweep = await place(smallest, market, {
      accountId: newAccountId(),
      side: "sell",
      price: "97.0",
      quantity: "4.0",
    });
    expect(sweep.report.order).toMatchObject({ status: "FILLED", filledBase: 400_000_000n });
    // One fill per transaction; the taker's closing fits beside the last.
    expect(sizes).toHaveLength(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MIN_TRANSACTION_ITEMS);
    expect((await auditLedger(store())).discrepancies).toEqual([]);
    await smallest.lease.release();
  });

  it("refuses the stale owner's settlement by the fence, and the stale owner stops", async () => {
    const market = await seedMarket(store());
    const stale = await takeMarket(market);
    const [maker, taker] = [newAccountId(), newAccountId()];
    await place(stale, market, { accountId: maker, side: "sell", price: "100.00", quantity: "1.000" });

    // The owner pauses past its lease, and another replica takes the market.
    await dies();
    const current = await takeMarket(market);
    const order = await acceptOrder(store(), market, {
      accountId: taker,
      side: "buy",
      price: "100.00",
      quantity: "1.000",
    });
    const refused = await rpcError(stale.runner.run({ kind: "submit", orderId: order.orderId }));
    expect(refused.code).toBe(Code.Unavailable);
    expect(stale.runner.stopped).toBe(true);
    expect(stale.failures).toHaveLength(1);
    expect(stale.failures[0]).toBeInstanceOf(FenceLostError);
    expect(await readOrder(store(), order.orderId)).toMatchObject({ status: "NEW", filledBase: 0n });
    expect((await rpcError(stale.runner.run({ kind: "submit", orderId: order.orderId }))).code).toBe(
      Code.Unavailable,
    );

    const settled = await current.runner.run({ kind: "submit", orderId: order.orderId });
    expect(settled.report.order).toMatchObject({ status: "FILLED", filledBase: 100_000_000n });
    expect((await auditLedger(store())).discrepancies).toEqual([]);
    await current.lease.release();
  });
}

describeWithStores("market runner with in-process locks", (store) => {
  runnerSuite(store, memoryLockHarness);
});

const redisUrl = inject("redisUrl");
describe.skipIf(!redisUrl)("on real Redis", () => {
  describeWithStores("market runner with Redis locks", (store) => {
    runnerSuite(store, () => redisLockHarness(redisUrl ?? ""));
  });
});
