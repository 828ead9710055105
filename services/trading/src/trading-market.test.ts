import { describeWithStores } from "@bourse/common/testing";
import { expect, it } from "vitest";
import { listTestMarket, testMarketItem } from "./testing/index.js";
import { readTradingMarket } from "./trading-market.js";

describeWithStores("readTradingMarket", (store) => {
  it("joins the market's rules with its assets' precisions", async () => {
    const market = await listTestMarket(store());
    expect(await readTradingMarket(store(), market.symbol)).toEqual({
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      baseScale: 8,
      quoteScale: 6,
      tickSize: "0.01",
      lotSize: "0.001",
      minQuantity: "0.001",
      minNotional: "1",
      makerFeeRate: "0.001",
      takerFeeRate: "0.002",
      status: "active",
    });
  });

  it("is undefined for a market that is not listed", async () => {
    expect(await readTradingMarket(store(), "NOPE-USD")).toBeUndefined();
  });

  it("sees a halt on the very next read", async () => {
    const market = await listTestMarket(store());
    expect((await readTradingMarket(store(), market.symbol))?.status).toBe("active");
    await store().put(testMarketItem({ ...market, status: "halted" }, 2, "maintenance"));
    expect((await readTradingMarket(store(), market.symbol))?.status).toBe("halted");
  });
});
