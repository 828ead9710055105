import { describeWithStores } from "@bourse/common/testing";
import { expect, it } from "vitest";
import { orderFromItem, orderToItem } from "./order-item.js";
import { type OrderRecord, orderKey } from "./order-record.js";

let unique = 0;

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const orderId = `01JORDER${String(++unique).padStart(18, "0")}`;
  return {
    orderId,
    accountId: "acct-1",
    clientOrderId: "",
    market: "BTC-USD",
    side: "buy",
    type: "limit",
    timeInForce: "GTC",
    postOnly: false,
    stp: "EXPIRE_TAKER",
    price: "40000.50",
    quantity: "0.125",
    quoteAmount: "",
    baseScale: 8,
    quoteScale: 2,
    makerFeeRate: "0.001",
    takerFeeRate: "0.002",
    status: "NEW",
    filledBase: 0n,
    filledQuote: 0n,
    feeQuote: 0n,
    holdAsset: "USD",
    holdAmount: 501_007n,
    createdAt: new Date("2025-01-02T03:04:05.678Z"),
    updatedAt: new Date("2025-01-02T03:04:05.678Z"),
    ...overrides,
  };
}

describeWithStores("order item", (store) => {
  it("reads back exactly what was written, money beyond 2^53 included", async () => {
    const written = order({
      clientOrderId: "my-order",
      status: "PARTIALLY_FILLED",
      filledBase: 12_500_000n,
      filledQuote: 9_007_199_254_740_993n,
      feeQuote: 1n,
      holdAmount: 18_014_398_509_481_984n,
      bookSeq: 42,
    });
    await store().put(orderToItem(written));
    const item = await store().get(orderKey(written.orderId));
    expect(item).toBeDefined();
    expect(orderFromItem(item ?? orderKey(""))).toEqual(written);
  });

  it("keeps the reasons of a closed order and leaves out absent optional fields", async () => {
    const expired = order({ status: "EXPIRED", expireReason: "IOC_REMAINDER", type: "market", price: "" });
    await store().put(orderToItem(expired));
    const item = await store().get(orderKey(expired.orderId));
    expect(item).not.toHaveProperty("bookSeq");
    expect(item).not.toHaveProperty("rejectReason");
    expect(orderFromItem(item ?? orderKey(""))).toEqual(expired);
  });

  it("lists an account's open orders apart from its done ones on GSI1", async () => {
    const accountId = `acct-gsi1-${++unique}`;
    const open = order({ accountId });
    const done = order({ accountId, status: "CANCELED" });
    await store().put(orderToItem(open));
    await store().put(orderToItem(done));
    const partition = `ACCOUNT#${accountId}#ORDERS`;
    const openPage = await store().query({ index: "GSI1", partition, sort: { beginsWith: "OPEN#" } });
    const donePage = await store().query({ index: "GSI1", partition, sort: { beginsWith: "DONE#" } });
    expect(openPage.items.map((item) => item.orderId)).toEqual([open.orderId]);
    expect(donePage.items.map((item) => item.orderId)).toEqual([done.orderId]);
  });

  it("keeps the market's book index to open orders: book by sequence first, then pending by order id", async () => {
    const market = `BOOK${++unique}-USD`;
    const pendingLater = order({ market });
    const pendingEarlier = order({ market, orderId: "01JAAAAAAAAAAAAAAAAAAAAAAA" });
    const resting = order({ market, bookSeq: 7 });
    const restingFirst = order({ market, bookSeq: 3 });
    const closed = order({ market, status: "FILLED", bookSeq: 1 });
    for (const record of [pendingLater, pendingEarlier, resting, restingFirst, closed]) {
      await store().put(orderToItem(record));
    }
    const page = await store().query({ index: "GSI2", partition: `BOOK#${market}` });
    expect(page.items.map((item) => item.orderId)).toEqual([
      restingFirst.orderId,
      resting.orderId,
      pendingEarlier.orderId,
      pendingLater.orderId,
    ]);
  });

  it("drops a closed order from the book index when the closing state replaces it", async () => {
    const market = `CLOSE${++unique}-USD`;
    const resting = order({ market, bookSeq: 5 });
    await store().put(orderToItem(resting));
    await store().put(orderToItem({ ...resting, status: "CANCELED" }));
    const page = await store().query({ index: "GSI2", partition: `BOOK#${market}` });
    expect(page.items).toEqual([]);
  });
});
