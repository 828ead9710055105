import { describe, expect, it } from "vitest";
import { MarketBook } from "./market-book.js";
import { MARKET, NOW, pending, reported } from "./test-support/market-book-fixtures.js";

const BTC = 100_000_000n;
const emptyBook = () => new MarketBook(MARKET, { seq: 0, resting: [] });
const close = (orderId: string, accountId: string, asset: string) => ({
  accountId,
  asset,
  holdReferenceId: orderId,
  referenceId: `${orderId}:close`,
  amount: "all",
});

describe("MarketBook: crossing limit orders", () => {
  it("rests an order that does not cross, with its book sequence, and releases nothing", () => {
    const book = emptyBook();
    const outcome = book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "1" }), NOW);
    expect(outcome.steps).toEqual([]);
    expect(outcome.closing.releases).toEqual([]);
    const order = reported(outcome);
    expect(order).toMatchObject({ status: "NEW", bookSeq: outcome.seq, filledBase: 0n, updatedAt: NOW });
    expect(outcome.closing.orders).toEqual([order]);
    expect(book.order("S1")).toEqual(order);
    expect(book.status()).toEqual({ openOrders: 1, bestAsk: "100" });
  });

  it("fills at the maker's price, each side paying its own rate in quote, and closes both orders", () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "1" }), NOW);
    const buy = pending("B1", "buy", { account: "alice", price: "105", quantity: "1" });
    expect(buy.holdAmount).toBe(10_521n); // 105 USD + 0.2% rounded up, in cents
    const outcome = book.submit(buy, NOW);

    expect(outcome.steps).toHaveLength(1);
    const [step] = outcome.steps;
    const seq = outcome.seq - 1; // the trade, then the level it emptied
    expect(step?.trade).toEqual({
      tradeId: String(seq),
      market: "BTC-USD",
      sequence: BigInt(seq),
      price: "100",
      quantity: "1.00",
      quoteAmount: "100",
      executedAt: NOW,
      buyer: { accountId: "alice", orderId: "B1", holdReferenceId: "B1", maker: false, fee: "0.2" },
      seller: { accountId: "bob", orderId: "S1", holdReferenceId: "S1", maker: true, fee: "0.1" },
    });
    expect(step?.makerAfter).toMatchObject({
      status: "FILLED",
      filledBase: BTC,
      filledQuote: 10_000n,
      feeQuote: 10n,
    });
    expect(step?.makerAfter.bookSeq).toBeUndefined();
    expect(step?.releases).toEqual([close("S1", "bob", "BTC")]);
    expect(step?.takerAfter).toMatchObject({ status: "PARTIALLY_FILLED", filledBase: BTC, feeQuote: 20n });
    expect(step?.accountTrades).toEqual([
      expect.objectContaining({
        accountId: "alice",
        side: "buy",
        maker: false,
        quoteAmount: 10_000n,
        feeQuote: 20n,
      }),
      expect.objectContaining({
        accountId: "bob",
        side: "sell",
        maker: true,
        quoteAmount: 10_000n,
        feeQuote: 10n,
      }),
    ]);

    const taker = reported(outcome);
    expect(taker).toMatchObject({ status: "FILLED", filledBase: BTC, filledQuote: 10_000n, feeQuote: 20n });
    expect(outcome.closing.orders).toEqual([taker]);
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(outcome.report).toMatchObject({ trades: [step?.accountTrades[0]] });
    expect(book.status()).toEqual({ openOrders: 0 });
  });

  it("fills partially across levels in price order, then rests the rest at the back of its price", () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "0.3" }), NOW);
    book.submit(pending("S2", "sell", { account: "carol", price: "101", quantity: "0.5" }), NOW);
    const outcome = book.submit(pending("B1", "buy", { account: "alice", price: "101", quantity: "1" }), NOW);

    expect(
      outcome.steps.map((step) => [step.trade.price, step.trade.quantity, step.trade.buyer.fee]),
    ).toEqual([
      ["100", "0.30", "0.06"],
      ["101", "0.50", "0.1"], // 0.2% of 50.50 is 0.101, floored to the cent
    ]);
    expect(outcome.steps.every((step) => step.takerAfter.bookSeq === undefined)).toBe(true);
    const taker = reported(outcome);
    expect(taker).toMatchObject({
      status: "PARTIALLY_FILLED",
      bookSeq: outcome.seq,
      filledBase: 80_000_000n,
      filledQuote: 8_050n,
      feeQuote: 16n,
    });
    expect(outcome.closing.releases).toEqual([]);
    expect(book.depth(5)).toEqual({ bids: [{ price: "101", quantity: "0.20" }], asks: [] });

    // Resting, it is now a maker: filled at its own price, paying the maker rate.
    const next = book.submit(pending("S3", "sell", { account: "dave", price: "99", quantity: "0.2" }), NOW);
    expect(next.steps[0]?.trade).toMatchObject({
      price: "101",
      quantity: "0.20",
      buyer: { maker: true, fee: "0.02" },
    });
    expect(next.steps[0]?.makerAfter).toMatchObject({
      status: "FILLED",
      filledBase: BTC,
      filledQuote: 10_070n,
    });
    expect(next.steps[0]?.releases).toEqual([close("B1", "alice", "USD")]);
  });
});

describe("MarketBook: IOC, FOK, post-only", () => {
  const withAsk = () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "0.5" }), NOW);
    return book;
  };

  it("expires an IOC remainder after its fills", () => {
    const outcome = withAsk().submit(
      pending("B1", "buy", { price: "100", quantity: "1", timeInForce: "IOC" }),
      NOW,
    );
    expect(outcome.steps).toHaveLength(1);
    expect(reported(outcome)).toMatchObject({
      status: "EXPIRED",
      expireReason: "IOC_REMAINDER",
      filledBase: 50_000_000n,
    });
    expect(reported(outcome).bookSeq).toBeUndefined();
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
  });

  it("expires a limit IOC that does not cross as IOC_REMAINDER (NO_LIQUIDITY is for market orders)", () => {
    const book = withAsk();
    const outcome = book.submit(
      pending("B1", "buy", { price: "99", quantity: "1", timeInForce: "IOC" }),
      NOW,
    );
    expect(outcome.steps).toEqual([]);
    expect(reported(outcome)).toMatchObject({ status: "EXPIRED", expireReason: "IOC_REMAINDER" });
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.status().openOrders).toBe(1);
  });

  it("expires a FOK that cannot fill completely without trading, and fills one that can", () => {
    const book = withAsk();
    const unfillable = book.submit(
      pending("B1", "buy", { price: "100", quantity: "1", timeInForce: "FOK" }),
      NOW,
    );
    expect(unfillable.steps).toEqual([]);
    expect(reported(unfillable)).toMatchObject({ status: "EXPIRED", expireReason: "FOK_UNFILLABLE" });
    expect(unfillable.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.depth(1).asks).toEqual([{ price: "100", quantity: "0.50" }]);

    const fillable = book.submit(
      pending("B2", "buy", { price: "100", quantity: "0.5", timeInForce: "FOK" }),
      NOW,
    );
    expect(fillable.steps).toHaveLength(1);
    expect(reported(fillable)).toMatchObject({ status: "FILLED" });
  });

  it("rejects a post-only order that would take, releasing its hold, and rests one that would not", () => {
    const book = withAsk();
    const taking = book.submit(pending("B1", "buy", { price: "100", quantity: "1", postOnly: true }), NOW);
    expect(taking.steps).toEqual([]);
    expect(reported(taking)).toMatchObject({ status: "REJECTED", rejectReason: "POST_ONLY_WOULD_TAKE" });
    expect(taking.closing.releases).toEqual([close("B1", "alice", "USD")]);

    const making = book.submit(pending("B2", "buy", { price: "99", quantity: "1", postOnly: true }), NOW);
    expect(reported(making)).toMatchObject({ status: "NEW", bookSeq: making.seq });
  });
});

describe("MarketBook: market orders", () => {
  const withAsks = () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "0.5" }), NOW);
    book.submit(pending("S2", "sell", { account: "carol", price: "102", quantity: "1" }), NOW);
    return book;
  };

  it("spends a quote budget with its fees within the budget, FILLED once the rest cannot buy the next lot", () => {
    const buy = pending("B1", "buy", { type: "market", quoteAmount: "100" });
    expect(buy.holdAmount).toBe(10_000n);
    const outcome = withAsks().submit(buy, NOW);
    // 9,981 notional cents fit with 0.2% fees: 50 lots at 100, then 48 lots at 102 (4,896), 85 cents left.
    expect(
      outcome.steps.map((step) => [step.trade.price, step.trade.quantity, step.trade.buyer.fee]),
    ).toEqual([
      ["100", "0.50", "0.1"],
      ["102", "0.48", "0.09"],
    ]);
    const order = reported(outcome);
    expect(order).toMatchObject({
      type: "market",
      status: "FILLED",
      filledBase: 98_000_000n,
      filledQuote: 9_896n,
      feeQuote: 19n,
    });
    expect(order.filledQuote + order.feeQuote).toBeLessThanOrEqual(order.holdAmount);
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
  });

  it("fills a quote budget that outlasts the book, and expires one into an empty book as NO_LIQUIDITY", () => {
    const book = withAsks();
    const sweep = book.submit(pending("B1", "buy", { type: "market", quoteAmount: "1000" }), NOW);
    expect(reported(sweep)).toMatchObject({ status: "FILLED", filledBase: 150_000_000n });
    expect(reported(sweep).expireReason).toBeUndefined();
    const empty = book.submit(pending("B2", "buy", { type: "market", quoteAmount: "1000" }), NOW);
    expect(empty.steps).toEqual([]);
    expect(reported(empty)).toMatchObject({ status: "EXPIRED", expireReason: "NO_LIQUIDITY" });
    expect(empty.closing.releases).toEqual([close("B2", "alice", "USD")]);
  });

  it("runs a market buy sized by quantity as an IOC at its protection price, keeping its type", () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "0.5" }), NOW);
    book.submit(pending("S2", "sell", { account: "carol", price: "111", quantity: "1" }), NOW);
    const outcome = book.submit(pending("B1", "buy", { type: "market", price: "110", quantity: "1" }), NOW);
    expect(outcome.steps.map((step) => step.trade.price)).toEqual(["100"]);
    expect(reported(outcome)).toMatchObject({
      type: "market",
      status: "EXPIRED",
      expireReason: "BUDGET_EXHAUSTED",
    });
    expect(book.depth(1).asks).toEqual([{ price: "111", quantity: "1.00" }]);
  });

  it("sells at market through the bids, the seller paying the taker fee in quote", () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { account: "bob", price: "100", quantity: "1" }), NOW);
    const outcome = book.submit(pending("S1", "sell", { type: "market", quantity: "2" }), NOW);
    expect(outcome.steps[0]?.trade).toMatchObject({
      seller: { maker: false, fee: "0.2" },
      buyer: { fee: "0.1" },
    });
    expect(reported(outcome)).toMatchObject({
      status: "EXPIRED",
      expireReason: "IOC_REMAINDER",
      feeQuote: 20n,
    });
  });
});

describe("MarketBook: self-trade prevention", () => {
  const setup = () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "alice", price: "100", quantity: "1" }), NOW);
    book.submit(pending("S2", "sell", { account: "bob", price: "101", quantity: "1" }), NOW);
    return book;
  };
  const buy = (stp: "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH") =>
    pending("B1", "buy", { account: "alice", price: "101", quantity: "2", stp });

  it("EXPIRE_TAKER expires the taker and leaves its own resting order", () => {
    const book = setup();
    const outcome = book.submit(buy("EXPIRE_TAKER"), NOW);
    expect(outcome.steps).toEqual([]);
    expect(reported(outcome)).toMatchObject({ status: "EXPIRED", expireReason: "SELF_TRADE_PREVENTION" });
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.has("S1")).toBe(true);
  });

  it("EXPIRE_MAKER expires the resting order, releases its hold, and the taker carries on", () => {
    const book = setup();
    const outcome = book.submit(buy("EXPIRE_MAKER"), NOW);
    expect(outcome.steps.map((step) => step.makerAfter.orderId)).toEqual(["S2"]);
    expect(outcome.closing.orders).toEqual([
      expect.objectContaining({ orderId: "S1", status: "EXPIRED", expireReason: "SELF_TRADE_PREVENTION" }),
      expect.objectContaining({ orderId: "B1", status: "PARTIALLY_FILLED", bookSeq: outcome.seq }),
    ]);
    expect(outcome.closing.releases).toEqual([close("S1", "alice", "BTC")]);
    expect(book.has("S1")).toBe(false);
  });

  it("EXPIRE_BOTH expires the resting order and the taker", () => {
    const book = setup();
    const outcome = book.submit(buy("EXPIRE_BOTH"), NOW);
    expect(outcome.steps).toEqual([]);
    expect(outcome.closing.orders.map((order) => [order.orderId, order.status, order.expireReason])).toEqual([
      ["S1", "EXPIRED", "SELF_TRADE_PREVENTION"],
      ["B1", "EXPIRED", "SELF_TRADE_PREVENTION"],
    ]);
    expect(outcome.closing.releases).toEqual([close("S1", "alice", "BTC"), close("B1", "alice", "USD")]);
    expect(book.status()).toEqual({ openOrders: 1, bestAsk: "101" });
  });
});

describe("MarketBook: cancel", () => {
  it("cancels only the owner's resting order and releases its hold", () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { price: "100", quantity: "1" }), NOW);
    const seq = book.seq;
    expect(book.cancel("B1", "mallory", NOW)).toEqual({
      seq,
      steps: [],
      closing: { orders: [], releases: [] },
      report: { kind: "unknown_order" },
      levels: [],
      at: NOW,
    });
    const outcome = book.cancel("B1", "alice", NOW);
    expect(reported(outcome)).toMatchObject({ status: "CANCELED", filledBase: 0n });
    expect(outcome.levels).toEqual([{ side: "buy", price: "100", quantity: "0", orderCount: 0 }]);
    expect(reported(outcome).bookSeq).toBeUndefined();
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.status()).toEqual({ openOrders: 0 });
    expect(book.cancel("B1", "alice", NOW).report).toEqual({ kind: "unknown_order" });
  });
});

describe("MarketBook: amend", () => {
  const twoBids = () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { account: "alice", price: "100", quantity: "1" }), NOW);
    book.submit(pending("B2", "buy", { account: "carol", price: "100", quantity: "1" }), NOW);
    return book;
  };
  const hitBids = (book: MarketBook) =>
    book.submit(pending("S9", "sell", { account: "bob", type: "market", quantity: "0.1" }), NOW).steps[0]
      ?.makerAfter.orderId;

  it("keeps time priority when it only reduces the quantity", () => {
    const book = twoBids();
    const bookSeq = book.order("B1")?.bookSeq;
    const outcome = book.amend("B1", "alice", { remainingQuantity: "0.5" }, NOW);
    expect(outcome.steps).toEqual([]);
    expect(outcome.closing.releases).toEqual([]);
    expect(reported(outcome)).toMatchObject({ status: "NEW", quantity: "0.50", price: "100", bookSeq });
    expect(hitBids(book)).toBe("B1");
  });

  it("goes to the back of the queue when its price changes, with a new book sequence", () => {
    const book = twoBids();
    book.amend("B1", "alice", { price: "99" }, NOW);
    const outcome = book.amend("B1", "alice", { price: "100" }, NOW);
    expect(reported(outcome)).toMatchObject({ price: "100", bookSeq: outcome.seq });
    expect(book.restingRecords().map((order) => order.orderId)).toEqual(["B2", "B1"]);
    expect(hitBids(book)).toBe("B2");
  });

  it("trades at once when its new price crosses, and closes when that fills it", () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { account: "alice", price: "100", quantity: "1" }), NOW);
    book.submit(pending("S1", "sell", { account: "bob", price: "102", quantity: "0.5" }), NOW);
    const outcome = book.amend("B1", "alice", { price: "102", remainingQuantity: "0.5" }, NOW);
    expect(
      outcome.steps.map((step) => [step.trade.price, step.trade.quantity, step.trade.buyer.maker]),
    ).toEqual([["102", "0.50", false]]);
    expect(reported(outcome)).toMatchObject({ status: "FILLED", price: "102", quantity: "0.50" });
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.status()).toEqual({ openOrders: 0 });
  });

  it("refuses a quantity increase, a buy price its hold cannot cover, a post-only that would take, and bad amounts", () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { price: "100", quantity: "1", postOnly: true }), NOW);
    book.submit(pending("S1", "sell", { account: "bob", price: "101", quantity: "1" }), NOW);
    const before = book.restingRecords();
    const refusal = (change: { price?: string; remainingQuantity?: string }) =>
      book.amend("B1", "alice", change, NOW).report;

    expect(refusal({ remainingQuantity: "1.5" })).toMatchObject({
      kind: "refused",
      code: "failed_precondition",
    });
    // 1 at 101 needs 101.21 with fees; the hold is 100.20.
    expect(refusal({ price: "100.5" })).toMatchObject({ kind: "refused", code: "invalid_argument" });
    expect(refusal({ remainingQuantity: "0" })).toMatchObject({ kind: "refused", code: "invalid_argument" });
    expect(refusal({ price: "101" })).toMatchObject({ kind: "refused", code: "failed_precondition" });
    expect(refusal({ price: "101", remainingQuantity: "0.5" })).toMatchObject({
      kind: "refused",
      code: "failed_precondition",
      message: expect.stringContaining("post-only"),
    });
    expect(book.amend("B1", "bob", { remainingQuantity: "0.5" }, NOW).report).toEqual({
      kind: "unknown_order",
    });
    expect(book.restingRecords()).toEqual(before);
  });

  it("lets a buy move up when the new price and quantity fit in its hold; the excess stays held", () => {
    const book = emptyBook();
    book.submit(pending("B1", "buy", { price: "100", quantity: "1" }), NOW);
    const outcome = book.amend("B1", "alice", { price: "150", remainingQuantity: "0.5" }, NOW);
    expect(outcome.closing.releases).toEqual([]);
    expect(reported(outcome)).toMatchObject({ price: "150", quantity: "0.50", holdAmount: 10_020n });
  });
});

describe("MarketBook: submit of a known, resumed or malformed order", () => {
  it("reports an order already in the book as it is, without a new command", () => {
    const book = emptyBook();
    const order = pending("B1", "buy", { price: "100", quantity: "1" });
    const first = reported(book.submit(order, NOW));
    const seq = book.seq;
    expect(book.submit(order, NOW)).toEqual({
      seq,
      steps: [],
      closing: { orders: [], releases: [] },
      report: { kind: "order", order: first, trades: [] },
      levels: [],
      at: NOW,
    });
  });

  it("continues a resumed taker with what remains of its quantity", () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "1" }), NOW);
    const resumed = {
      ...pending("B1", "buy", { price: "100", quantity: "1" }),
      status: "PARTIALLY_FILLED" as const,
      filledBase: 70_000_000n,
      filledQuote: 7_000n,
      feeQuote: 14n,
    };
    const outcome = book.submit(resumed, NOW);
    expect(outcome.steps.map((step) => step.trade.quantity)).toEqual(["0.30"]);
    expect(reported(outcome)).toMatchObject({
      status: "FILLED",
      filledBase: BTC,
      filledQuote: 10_000n,
      feeQuote: 20n,
    });
    expect(book.depth(1).asks).toEqual([{ price: "100", quantity: "0.70" }]);
  });

  it("continues a resumed market buy with the engine budget its fills left", () => {
    const book = emptyBook();
    book.submit(pending("S1", "sell", { account: "bob", price: "100", quantity: "2" }), NOW);
    const resumed = {
      ...pending("B1", "buy", { type: "market", quoteAmount: "100" }),
      status: "PARTIALLY_FILLED" as const,
      filledBase: 50_000_000n,
      filledQuote: 5_000n,
      feeQuote: 10n,
    };
    // 9,981 notional cents in all, 5,000 spent: 49 more lots at 100.
    const order = reported(book.submit(resumed, NOW));
    expect(order).toMatchObject({
      status: "FILLED",
      filledBase: 99_000_000n,
    });
    expect(order.filledQuote + order.feeQuote).toBeLessThanOrEqual(order.holdAmount);
  });

  it("closes a resumed order that has nothing left as FILLED", () => {
    const book = emptyBook();
    const resumed = {
      ...pending("B1", "buy", { price: "100", quantity: "1" }),
      status: "PARTIALLY_FILLED" as const,
      filledBase: BTC,
      filledQuote: 10_000n,
      feeQuote: 20n,
    };
    const outcome = book.submit(resumed, NOW);
    expect(outcome.seq).toBe(0);
    expect(reported(outcome)).toMatchObject({ status: "FILLED" });
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
  });

  it("rejects an order off the lot with the closest reason instead of throwing", () => {
    const book = emptyBook();
    const outcome = book.submit(
      { ...pending("B1", "buy", { price: "100", quantity: "1" }), quantity: "0.015" },
      NOW,
    );
    expect(reported(outcome)).toMatchObject({ status: "REJECTED", rejectReason: "QUANTITY_NOT_ON_LOT" });
    expect(outcome.closing.releases).toEqual([close("B1", "alice", "USD")]);
    expect(book.has("B1")).toBe(false);
  });
});
