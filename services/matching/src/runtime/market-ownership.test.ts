import { createLogger } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { describeWithStores, memoryLockHarness, rpcError } from "@bourse/common/testing";
import { claimMarket, createStampFactory } from "@bourse/ledger";
import { Code } from "@connectrpc/connect";
import { Registry } from "prom-client";
import { expect, it, vi } from "vitest";
import { acceptOrder, newAccountId, seedMarket } from "../testing/matching-fixtures.js";
import { MarketOwnership } from "./market-ownership.js";
import { createMatchingMetrics } from "./matching-metrics.js";

const LEASE_MS = 300;

/** A store whose transactions wait, once `hold()` is called, until `release()`: a write in flight. */
function gatedStore(store: Store) {
  let gate: Promise<void> | undefined;
  let open = () => {};
  let waiting = 0;
  const gated = new Proxy(store, {
    get(target, property, receiver) {
      if (property === "transactWrite") {
        return async (items: Parameters<Store["transactWrite"]>[0]) => {
          if (gate) {
            waiting++;
            await gate;
          }
          return target.transactWrite(items);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    store: gated,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
    waiting: () => waiting,
  };
}

describeWithStores("market ownership", (store) => {
  it("logs the fence's refusal of a stale owner's settlement even after it gave the market up", async () => {
    const market = await seedMarket(store());
    const locks = memoryLockHarness();
    const table = gatedStore(store());
    const logged: Array<Record<string, unknown>> = [];
    const ownership = new MarketOwnership({
      store: table.store,
      locks: locks.open(),
      ownerId: "stale",
      ownerUrl: "http://stale.test:50051",
      markets: async () => [market.symbol],
      leaseMs: LEASE_MS,
      // One claim round and no sweeps during the test: the market must not be taken back.
      claimIntervalMs: 60_000,
      claimStaggerMs: 0,
      sweepIntervalMs: 60_000,
      pendingAgeMs: 60_000,
      maxBatchCommands: 16,
      maxQueue: 100,
      now: () => new Date(),
      stamp: createStampFactory(),
      metrics: createMatchingMetrics(new Registry()),
      logger: createLogger("matching-test", {
        destination: { write: (line: string) => logged.push(JSON.parse(line)) },
      }),
    });
    ownership.start();
    try {
      const runner = await vi.waitFor(() => ownership.runner(market.symbol));
      const state = ownership.state(market.symbol);
      const staleToken = state.kind === "active" ? state.fencingToken : undefined;

      // A settlement in flight while the lease runs out: renewal fails and the market is given up first.
      table.hold();
      const order = await acceptOrder(store(), market, {
        accountId: newAccountId(),
        side: "sell",
        price: "100.0",
        quantity: "1.0",
      });
      const submitted = rpcError(runner.run({ kind: "submit", orderId: order.orderId }));
      await vi.waitFor(() => expect(table.waiting()).toBe(1));
      await locks.pass(LEASE_MS + 1);
      await vi.waitFor(() => expect(ownership.ownedMarkets()).toEqual([]));
      const next = await claimMarket(locks.open(), store(), market.symbol, { ttlMs: 60_000 });
      table.release();

      expect((await submitted).code).toBe(Code.Unavailable);
      await vi.waitFor(() =>
        expect(logged).toContainEqual(
          expect.objectContaining({
            level: 40,
            market: market.symbol,
            fencing_token: String(staleToken),
            msg: expect.stringMatching(/the fence of .* refused a settlement/),
          }),
        ),
      );
      expect(next.fencingToken).toBeGreaterThan(staleToken ?? 0n);
      await next.release();
    } finally {
      table.release();
      await ownership.stop();
      await locks.close();
    }
  });
});
