import { describeWithStores } from "@bourse/common/testing";
import { expect, it } from "vitest";
import { accountTradeFromItem, accountTradeToItem } from "./account-trade-item.js";
import { type AccountTradeRecord, accountTradeKey } from "./order-record.js";

let unique = 0;

function accountTrade(overrides: Partial<AccountTradeRecord> = {}): AccountTradeRecord {
  return {
    accountId: "acct-1",
    market: "BTC-USD",
    tradeId: String(++unique),
    orderId: "01JORDER",
    side: "sell",
    maker: true,
    price: "40000.50",
    quantity: 12_500_000n,
    quoteAmount: 500_006n,
    feeQuote: 500n,
    baseScale: 8,
    quoteScale: 2,
    sequence: unique,
    executedAt: new Date("2025-01-02T03:04:05.678Z"),
    ...overrides,
  };
}

describeWithStores("account trade item", (store) => {
  it("reads back exactly what was written", async () => {
    const written = accountTrade({ quoteAmount: 9_007_199_254_740_993n });
    await store().put(accountTradeToItem(written));
    const item = await store().get(accountTradeKey(written));
    expect(accountTradeFromItem(item ?? accountTradeKey(written))).toEqual(written);
  });

  it("lists an order's trades in sequence order on GSI1, even across a change in digit count", async () => {
    const orderId = `01JORDER-${++unique}`;
    const trades = [100, 9, 10].map((sequence) =>
      accountTrade({ orderId, sequence, tradeId: String(sequence) }),
    );
    for (const trade of trades) await store().put(accountTradeToItem(trade));
    const page = await store().query({ index: "GSI1", partition: `ORDER#${orderId}#TRADES` });
    expect(page.items.map((item) => item.sequence)).toEqual([9, 10, 100]);
  });

  it("lists an account's trades in time order", async () => {
    const accountId = `acct-time-${++unique}`;
    const later = accountTrade({ accountId, executedAt: new Date("2025-01-02T00:00:01.000Z") });
    const earlier = accountTrade({ accountId, executedAt: new Date("2025-01-02T00:00:00.999Z") });
    await store().put(accountTradeToItem(later));
    await store().put(accountTradeToItem(earlier));
    const page = await store().query({ partition: `ACCOUNT#${accountId}#TRADES` });
    expect(page.items.map((item) => item.tradeId)).toEqual([earlier.tradeId, later.tradeId]);
  });
});
