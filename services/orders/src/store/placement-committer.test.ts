import type { Store } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { createStampFactory, readBalance } from "@bourse/ledger";
import {
  newOrderRecord,
  orderKey,
  type RevisedTradingMarket,
  readRevisedTradingMarket,
} from "@bourse/trading";
import { listTestMarket, testMarketItem } from "@bourse/trading/testing";
import { ulid } from "ulid";
import { expect, it } from "vitest";
import { fund } from "../testing/orders-harness.js";
import { MarketChangedError, type Placement, PlacementCommitter } from "./placement-committer.js";

describeWithStores("PlacementCommitter", (store: () => Store) => {
  /** A funded buyer's limit buy of 1 at 100 on the market as `rules` state it. */
  async function buy(rules: RevisedTradingMarket): Promise<Placement> {
    const { market } = rules;
    const accountId = ulid();
    await fund(store(), accountId, market.quote, market.quoteScale, "1000");
    const order = newOrderRecord({
      orderId: ulid(),
      accountId,
      request: {
        market: market.symbol,
        side: "buy",
        type: "limit",
        timeInForce: "GTC",
        postOnly: false,
        stp: "EXPIRE_TAKER",
        price: "100",
        quantity: "1",
        quoteAmount: "",
        clientOrderId: "",
      },
      market,
      now: new Date(),
    });
    const hold = {
      kind: "hold" as const,
      accountId,
      asset: order.holdAsset,
      scale: market.quoteScale,
      referenceId: order.orderId,
      amount: order.holdAmount,
    };
    return { order, hold, rules };
  }

  async function listed(): Promise<RevisedTradingMarket> {
    const market = await listTestMarket(store());
    return (await readRevisedTradingMarket(store(), market.symbol)) as RevisedTradingMarket;
  }

  it("refuses the places of a market halted since its rules were read, and commits the others with them", async () => {
    const committer = new PlacementCommitter(store(), { stamps: createStampFactory() });
    const [halting, trading] = [await listed(), await listed()];
    const [first, stale, other] = [await buy(trading), await buy(halting), await buy(trading)];
    await store().put(testMarketItem({ ...halting.market, status: "halted" }, halting.revision + 1));

    // The first place flushes alone; the two queued meanwhile share the next transaction.
    const results = await Promise.allSettled(
      [first, stale, other].map((placement) => committer.place(placement)),
    );
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(MarketChangedError);

    expect(await store().get(orderKey(stale.order.orderId))).toBeUndefined();
    expect(await readBalance(store(), stale.order.accountId, halting.market.quote)).toMatchObject({
      held: 0n,
    });
    expect(await store().get(orderKey(other.order.orderId))).toBeDefined();
    expect(await readBalance(store(), other.order.accountId, trading.market.quote)).toMatchObject({
      held: other.order.holdAmount,
    });
  });

  it("refuses a place checked against an older revision of its market's rules", async () => {
    const committer = new PlacementCommitter(store(), { stamps: createStampFactory() });
    const rules = await listed();
    await store().put(testMarketItem({ ...rules.market, minQuantity: "2" }, rules.revision + 1));
    await expect(committer.place(await buy(rules))).rejects.toBeInstanceOf(MarketChangedError);
    const current = (await readRevisedTradingMarket(store(), rules.market.symbol)) as RevisedTradingMarket;
    await expect(committer.place(await buy(current))).resolves.toBeUndefined();
  });
});
