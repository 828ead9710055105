import { describeWithStores } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { accountTradeToItem } from "./account-trade-item.js";
import { marketTradeOf, readRecentMarketTrades } from "./market-trades.js";
import type { AccountTradeRecord } from "./order-record.js";

let unique = 0;

/** Both sides' account trades of one trade, as the settlement writes them. */
function tradeSides(
  market: string,
  sequence: number,
  takerSide: "buy" | "sell",
): [AccountTradeRecord, AccountTradeRecord] {
  const common = {
    market,
    tradeId: String(sequence),
    price: "40000.50",
    quantity: 12_500_000n,
    quoteAmount: 500_006n,
    feeQuote: 500n,
    baseScale: 8,
    quoteScale: 2,
    sequence,
    executedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, sequence % 60)),
  };
  return [
    { ...common, accountId: "buyer", orderId: `buy-${++unique}`, side: "buy", maker: takerSide === "sell" },
    { ...common, accountId: "seller", orderId: `sell-${++unique}`, side: "sell", maker: takerSide === "buy" },
  ];
}

describe("marketTradeOf", () => {
  it("prints the same public trade from either side's view", () => {
    for (const takerSide of ["buy", "sell"] as const) {
      const [buyer, seller] = tradeSides("BTC-USD", 42, takerSide);
      expect(marketTradeOf(seller)).toEqual(marketTradeOf(buyer));
      expect(marketTradeOf(buyer)).toMatchObject({ takerSide, quantity: "0.125", quoteAmount: "5000.06" });
    }
  });
});

describeWithStores("market trades index", (store) => {
  async function writeTrades(market: string, sequences: readonly number[]): Promise<void> {
    for (const sequence of sequences) {
      const sides = tradeSides(market, sequence, sequence % 2 === 0 ? "buy" : "sell");
      for (const side of sides) await store().put(accountTradeToItem(side));
    }
  }

  it("lists a market's latest trades newest first, once per trade, in number order across digit counts", async () => {
    const market = `M${++unique}-USD`;
    await writeTrades(market, [9, 10, 100, 11]);
    await writeTrades(`M${++unique}-USD`, [12]);

    const trades = await readRecentMarketTrades(store(), market, { limit: 3 });
    expect(trades.map((trade) => trade.sequence)).toEqual([100, 11, 10]);
    expect(trades[0]).toEqual({
      market,
      tradeId: "100",
      sequence: 100,
      price: "40000.5",
      quantity: "0.125",
      quoteAmount: "5000.06",
      takerSide: "buy",
      executedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 40)),
    });
    expect(trades[1]?.takerSide).toBe("sell");
  });

  it("reads every trade after a sequence, oldest first, over several pages", async () => {
    const market = `M${++unique}-USD`;
    await writeTrades(market, [1, 2, 3, 4, 5, 6, 7]);

    const after = await readRecentMarketTrades(store(), market, { limit: 2, afterSequence: 2 });
    expect(after.map((trade) => trade.sequence)).toEqual([3, 4, 5, 6, 7]);
    expect(await readRecentMarketTrades(store(), market, { limit: 2, afterSequence: 7 })).toEqual([]);
  });

  it("finds nothing for a market that never traded", async () => {
    expect(await readRecentMarketTrades(store(), "NONE-USD", { limit: 10 })).toEqual([]);
  });
});
