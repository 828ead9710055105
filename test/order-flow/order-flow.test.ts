/**
 * The order flow through the public API (issue #9, "Must show"): users, inventory, orders and matching on
 * one store and one lock service, real access tokens from Register, funds from BalanceService.Deposit.
 *
 * Every market here charges 0.1% to the maker and 0.2% to the taker, in USD (scale 8) on both sides
 * (docs/order-flow.md). Expected amounts are worked out by hand in the comments: a limit buy holds
 * price × quantity + ceil(price × quantity × 0.002); a fill at the maker's price p for q costs the buyer
 * p × q + fee and pays the seller p × q − fee. Each test has a market of its own, so no book is shared.
 */
import { formatDecimal } from "@bourse/common/money";
import { rpcError } from "@bourse/common/testing";
import { feeAccountId, readBalance } from "@bourse/ledger";
import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type OrderFlowExchange, startOrderFlowExchange } from "./support/exchange.js";
import { orderFlowProblems } from "./support/invariants.js";
import { viewOrder, viewTrades } from "./support/views.js";
import { describeWithStoresAndLocks } from "./support/with-stores-and-locks.js";

const markets = [
  "ETH-USD",
  "BTC-USD",
  "BNB-USD",
  "SOL-USD",
  "BCH-USD",
  "LTC-USD",
  "LINK-USD",
  "AVAX-USD",
  "UNI-USD",
  "AAVE-USD",
  "DOT-USD",
  "APT-USD",
  "ETC-USD",
] as const;
type TestMarket = (typeof markets)[number];
const baseOf = (market: TestMarket) => market.slice(0, market.indexOf("-"));

describeWithStoresAndLocks("order flow", (infrastructure) => {
  let exchange: OrderFlowExchange;
  beforeAll(async () => {
    const { store, locks } = infrastructure();
    exchange = await startOrderFlowExchange(store, locks, { markets });
  });
  afterAll(() => exchange?.stop());
  afterEach(async () => {
    expect(await orderFlowProblems(exchange.store, exchange.accountIds)).toEqual([]);
  });

  const feesCollected = async (market: TestMarket) => {
    const balance = await readBalance(exchange.store, feeAccountId(market), "USD");
    return balance
      ? formatDecimal(balance.available + balance.held, balance.scale, { trimZeros: true })
      : "0";
  };

  /** A seller of 1 base with an ask of 0.1 at 100 on `market`, and a buyer of 100 USD. */
  const askAndBuyer = async (market: TestMarket) => {
    const seller = await exchange.trader({ [baseOf(market)]: "1" });
    const buyer = await exchange.trader({ USD: "100" });
    const ask = await seller.place({ market, side: "sell", price: "100", quantity: "0.1" });
    return { seller, buyer, ask };
  };

  /**
   * A trader's own ask ahead of another trader's, both 0.1 at 100 on `market`, then the trader's bid for 0.1
   * at 100 with self-trade prevention `stp`.
   */
  const bidIntoOwnAsk = async (market: TestMarket, stp: "EXPIRE_MAKER" | "EXPIRE_BOTH") => {
    const base = baseOf(market);
    const trader = await exchange.trader({ [base]: "1", USD: "100" });
    const other = await exchange.trader({ [base]: "1" });
    const own = await trader.place({ market, side: "sell", price: "100", quantity: "0.1" });
    const foreign = await other.place({ market, side: "sell", price: "100", quantity: "0.1" });
    const bid = await trader.place({ market, side: "buy", price: "100", quantity: "0.1", stp });
    return { trader, other, own, foreign, bid };
  };

  it("fills crossing limit orders at the maker's price, with both fees in quote", async () => {
    const market = "ETH-USD";
    const { seller, buyer, ask } = await askAndBuyer(market);
    expect(viewOrder(ask.order)).toMatchObject({ status: "NEW", filled: "0", remaining: "0.1" });
    expect(await seller.balances()).toEqual({ ETH: { available: "0.9", held: "0.1" } });

    // Limit 101 holds 10.1 + ceil(10.1 × 0.002) = 10.1202; it trades at the maker's 100:
    // the buyer pays 10 + 0.02 (taker), the seller gets 10 − 0.01 (maker), the rest of the hold is released.
    const bid = await buyer.place({ market, side: "buy", price: "101", quantity: "0.1" });
    expect(viewOrder(bid.order)).toEqual({
      status: "FILLED",
      filled: "0.1",
      remaining: "0",
      filledQuote: "10",
      fee: "0.02",
    });
    expect(viewTrades(bid.trades)).toEqual([
      { price: "100", quantity: "0.1", quoteAmount: "10", fee: "0.02", liquidity: "TAKER" },
    ]);
    expect(await buyer.balances()).toEqual({
      USD: { available: "89.98", held: "0" },
      ETH: { available: "0.1", held: "0" },
    });
    expect(await seller.balances()).toEqual({
      ETH: { available: "0.9", held: "0" },
      USD: { available: "9.99", held: "0" },
    });
    expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toEqual({
      status: "FILLED",
      filled: "0.1",
      remaining: "0",
      filledQuote: "10",
      fee: "0.01",
    });
    expect(await feesCollected(market)).toBe("0.03");

    // A resting buy holds its price × quantity plus the larger (taker) fee: 9.9 + 0.0198.
    const resting = await buyer.place({ market, side: "buy", price: "99", quantity: "0.1" });
    expect(viewOrder(resting.order).status).toBe("NEW");
    expect((await buyer.balances()).USD).toEqual({ available: "80.0602", held: "9.9198" });
  });

  it("fills partially on both sides and keeps the unfilled part on the book", async () => {
    const market = "BTC-USD";
    const seller = await exchange.trader({ BTC: "1" });
    const small = await exchange.trader({ USD: "100" });
    const large = await exchange.trader({ USD: "100" });
    const ask = await seller.place({ market, side: "sell", price: "100", quantity: "0.3" });

    const first = await small.place({ market, side: "buy", price: "100", quantity: "0.1" });
    expect(viewOrder(first.order)).toMatchObject({ status: "FILLED", filled: "0.1" });
    expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toMatchObject({
      status: "PARTIALLY_FILLED",
      filled: "0.1",
      remaining: "0.2",
    });

    // Holds 50 + 0.1; takes the 0.2 left for 20 + 0.04; the open 0.3 keeps 30 + 0.06 reserved.
    const second = await large.place({ market, side: "buy", price: "100", quantity: "0.5" });
    expect(viewOrder(second.order)).toEqual({
      status: "PARTIALLY_FILLED",
      filled: "0.2",
      remaining: "0.3",
      filledQuote: "20",
      fee: "0.04",
    });
    expect(await large.balances()).toEqual({
      USD: { available: "49.9", held: "30.06" },
      BTC: { available: "0.2", held: "0" },
    });
    expect(await seller.balances()).toEqual({
      BTC: { available: "0.7", held: "0" },
      USD: { available: "29.97", held: "0" },
    });

    // Now the resting 0.3 is the maker: it pays 30 + 0.03, and the 0.03 of taker fee it reserved is released.
    const taker = await exchange.trader({ BTC: "1" });
    const hit = await taker.place({ market, side: "sell", price: "100", quantity: "0.3" });
    expect(viewOrder(hit.order)).toMatchObject({ status: "FILLED", filled: "0.3", fee: "0.06" });
    expect(viewOrder(await large.order(second.order?.id ?? ""))).toEqual({
      status: "FILLED",
      filled: "0.5",
      remaining: "0",
      filledQuote: "50",
      fee: "0.07",
    });
    expect(await large.balances()).toEqual({
      USD: { available: "49.93", held: "0" },
      BTC: { available: "0.5", held: "0" },
    });
    expect(await taker.balances()).toEqual({
      BTC: { available: "0.7", held: "0" },
      USD: { available: "29.94", held: "0" },
    });
  });

  it("expires what an IOC order cannot fill at once", async () => {
    const market = "BNB-USD";
    const { seller, buyer } = await askAndBuyer(market);

    const ioc = await buyer.place({ market, side: "buy", price: "100", quantity: "0.3", timeInForce: "IOC" });
    expect(viewOrder(ioc.order)).toEqual({
      status: "EXPIRED",
      filled: "0.1",
      remaining: "0.2",
      filledQuote: "10",
      fee: "0.02",
      reason: "IOC_REMAINDER",
    });
    expect(await buyer.balances()).toEqual({
      USD: { available: "89.98", held: "0" },
      BNB: { available: "0.1", held: "0" },
    });

    // With an ask on the book above its limit, a limit IOC that cannot trade expires whole; NO_LIQUIDITY is
    // only for market orders that meet an empty side (docs/order-flow.md, "Statuses").
    await seller.place({ market, side: "sell", price: "101", quantity: "0.1" });
    const none = await buyer.place({ market, side: "buy", price: "99", quantity: "0.1", timeInForce: "IOC" });
    expect(viewOrder(none.order)).toMatchObject({ status: "EXPIRED", filled: "0", reason: "IOC_REMAINDER" });
    expect((await buyer.balances()).USD).toEqual({ available: "89.98", held: "0" });
  });

  it("fills a FOK order completely or not at all", async () => {
    const market = "SOL-USD";
    const seller = await exchange.trader({ SOL: "1" });
    const buyer = await exchange.trader({ USD: "100" });
    const near = await seller.place({ market, side: "sell", price: "100", quantity: "0.1" });
    const far = await seller.place({ market, side: "sell", price: "101", quantity: "0.1" });

    const unfillable = await buyer.place({
      market,
      side: "buy",
      price: "101",
      quantity: "0.3",
      timeInForce: "FOK",
    });
    expect(viewOrder(unfillable.order)).toMatchObject({
      status: "EXPIRED",
      filled: "0",
      reason: "FOK_UNFILLABLE",
    });
    expect(unfillable.trades).toEqual([]);
    expect(await buyer.balances()).toEqual({ USD: { available: "100", held: "0" } });
    for (const ask of [near, far]) {
      expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toMatchObject({
        status: "NEW",
        filled: "0",
      });
    }

    // 0.1 at 100 and 0.1 at 101: 20.1, taker fees 0.02 + 0.0202.
    const fillable = await buyer.place({
      market,
      side: "buy",
      price: "101",
      quantity: "0.2",
      timeInForce: "FOK",
    });
    expect(viewOrder(fillable.order)).toEqual({
      status: "FILLED",
      filled: "0.2",
      remaining: "0",
      filledQuote: "20.1",
      fee: "0.0402",
    });
    expect(viewTrades(fillable.trades).map((trade) => [trade.price, trade.quantity, trade.fee])).toEqual([
      ["100", "0.1", "0.02"],
      ["101", "0.1", "0.0202"],
    ]);
    expect(await buyer.balances()).toEqual({
      USD: { available: "79.8598", held: "0" },
      SOL: { available: "0.2", held: "0" },
    });
  });

  it("rejects a post-only order that would take, and rests one that would not", async () => {
    const market = "BCH-USD";
    const { seller, buyer, ask } = await askAndBuyer(market);

    const taking = await buyer.place({ market, side: "buy", price: "100", quantity: "0.1", postOnly: true });
    expect(viewOrder(taking.order)).toMatchObject({
      status: "REJECTED",
      filled: "0",
      reason: "POST_ONLY_WOULD_TAKE",
    });
    expect(await buyer.balances()).toEqual({ USD: { available: "100", held: "0" } });
    expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toMatchObject({ status: "NEW", filled: "0" });

    // 9.999 + ceil(9.999 × 0.002) = 9.999 + 0.019998.
    const making = await buyer.place({
      market,
      side: "buy",
      price: "99.99",
      quantity: "0.1",
      postOnly: true,
    });
    expect(viewOrder(making.order)).toMatchObject({ status: "NEW", filled: "0" });
    expect(await buyer.balances()).toEqual({ USD: { available: "89.981002", held: "10.018998" } });
  });

  it("spends at most the quote amount of a market buy, fees included", async () => {
    const market = "LTC-USD";
    const seller = await exchange.trader({ LTC: "1" });
    const buyer = await exchange.trader({ USD: "100" });
    await seller.place({ market, side: "sell", price: "100", quantity: "0.1" });
    await seller.place({ market, side: "sell", price: "101", quantity: "0.1" });

    // Budget 15 holds 15. Notional may be at most 15 / 1.002 = 14.97005... (tick × lot = 0.00001):
    // 0.1 at 100 (10), then 49 lots of 0.001 at 101 (4.949; a 50th would pass 4.97005).
    // Fees 0.02 + floor(4.949 × 0.002) = 0.02 + 0.009898; paid 14.978898, the rest of 15 is released.
    // The rest cannot buy the next lot on offer: FILLED, as the proto defines it (docs/order-flow.md, "Statuses").
    const buy = await buyer.place({ market, side: "buy", type: "market", quoteAmount: "15" });
    expect(viewOrder(buy.order)).toEqual({
      status: "FILLED",
      remaining: "",
      filled: "0.149",
      filledQuote: "14.949",
      fee: "0.029898",
    });
    expect(
      viewTrades(buy.trades).map((trade) => [trade.price, trade.quantity, trade.quoteAmount, trade.fee]),
    ).toEqual([
      ["100", "0.1", "10", "0.02"],
      ["101", "0.049", "4.949", "0.009898"],
    ]);
    expect(await buyer.balances()).toEqual({
      USD: { available: "85.021102", held: "0" },
      LTC: { available: "0.149", held: "0" },
    });
    expect(await seller.balances()).toEqual({
      LTC: { available: "0.8", held: "0.051" },
      USD: { available: "14.934051", held: "0" },
    });
  });

  it("expires the taker when it would trade with its own order (EXPIRE_TAKER, the default)", async () => {
    const market = "LINK-USD";
    const trader = await exchange.trader({ LINK: "1", USD: "100" });
    const ask = await trader.place({ market, side: "sell", price: "100", quantity: "0.1" });

    const bid = await trader.place({ market, side: "buy", price: "100", quantity: "0.1" });
    expect(viewOrder(bid.order)).toMatchObject({
      status: "EXPIRED",
      filled: "0",
      reason: "SELF_TRADE_PREVENTION",
    });
    expect(viewOrder(await trader.order(ask.order?.id ?? ""))).toMatchObject({ status: "NEW", filled: "0" });
    expect(await trader.balances()).toEqual({
      LINK: { available: "0.9", held: "0.1" },
      USD: { available: "100", held: "0" },
    });
  });

  it("expires the resting order and goes on matching with EXPIRE_MAKER", async () => {
    const { trader, other, own, foreign, bid } = await bidIntoOwnAsk("AVAX-USD", "EXPIRE_MAKER");
    expect(viewOrder(bid.order)).toMatchObject({ status: "FILLED", filled: "0.1", fee: "0.02" });
    expect(viewOrder(await trader.order(own.order?.id ?? ""))).toMatchObject({
      status: "EXPIRED",
      filled: "0",
      reason: "SELF_TRADE_PREVENTION",
    });
    expect(viewOrder(await other.order(foreign.order?.id ?? ""))).toMatchObject({
      status: "FILLED",
      fee: "0.01",
    });
    expect(await trader.balances()).toEqual({
      AVAX: { available: "1.1", held: "0" },
      USD: { available: "89.98", held: "0" },
    });
  });

  it("expires both orders with EXPIRE_BOTH and leaves the others on the book", async () => {
    const { trader, other, own, foreign, bid } = await bidIntoOwnAsk("UNI-USD", "EXPIRE_BOTH");
    expect(viewOrder(bid.order)).toMatchObject({
      status: "EXPIRED",
      filled: "0",
      reason: "SELF_TRADE_PREVENTION",
    });
    expect(viewOrder(await trader.order(own.order?.id ?? ""))).toMatchObject({
      status: "EXPIRED",
      reason: "SELF_TRADE_PREVENTION",
    });
    expect(viewOrder(await other.order(foreign.order?.id ?? ""))).toMatchObject({
      status: "NEW",
      filled: "0",
    });
    expect(await trader.balances()).toEqual({
      UNI: { available: "1", held: "0" },
      USD: { available: "100", held: "0" },
    });
  });

  it("releases exactly what a canceled order still holds", async () => {
    const market = "AAVE-USD";
    const buyer = await exchange.trader({ USD: "100" });
    const before = await buyer.balances();
    const bid = await buyer.place({ market, side: "buy", price: "100", quantity: "0.2" });
    expect(await buyer.balances()).toEqual({ USD: { available: "79.96", held: "20.04" } });
    expect(viewOrder(await buyer.cancel(bid.order?.id ?? ""))).toMatchObject({
      status: "CANCELED",
      filled: "0",
    });
    expect(await buyer.balances()).toEqual(before);

    // Partly filled as maker (5 + 0.005 paid from the 20.04 held), then canceled: the other 15.035 comes back.
    const again = await buyer.place({ market, side: "buy", price: "100", quantity: "0.2" });
    const seller = await exchange.trader({ AAVE: "1" });
    await seller.place({ market, side: "sell", price: "100", quantity: "0.05" });
    expect(await buyer.balances()).toEqual({
      USD: { available: "79.96", held: "15.035" },
      AAVE: { available: "0.05", held: "0" },
    });
    expect(viewOrder(await buyer.cancel(again.order?.id ?? ""))).toMatchObject({
      status: "CANCELED",
      filled: "0.05",
    });
    expect(await buyer.balances()).toEqual({
      USD: { available: "94.995", held: "0" },
      AAVE: { available: "0.05", held: "0" },
    });
  });

  it("places an order once per client_order_id", async () => {
    const market = "DOT-USD";
    const buyer = await exchange.trader({ USD: "100" });
    const request = { market, side: "buy", price: "99", quantity: "0.1", clientOrderId: "retry-1" } as const;
    const first = await buyer.place(request);
    const retry = await buyer.place(request);
    expect(retry.order?.id).toBe(first.order?.id);
    expect(await buyer.balances()).toEqual({ USD: { available: "90.0802", held: "9.9198" } });

    const different = await rpcError(buyer.place({ ...request, price: "98" }));
    expect(different.code).toBe(Code.AlreadyExists);
    const open = await exchange.orderClient.listOrders(
      { market, statuses: [OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED] },
      buyer.call,
    );
    expect(open.orders.map((order) => order.id)).toEqual([first.order?.id]);
    expect(await buyer.balances()).toEqual({ USD: { available: "90.0802", held: "9.9198" } });

    // Once the bound order is done, a retry still answers with it, and different fields make a new order.
    await buyer.cancel(first.order?.id ?? "");
    const late = await buyer.place(request);
    expect(late.order?.id).toBe(first.order?.id);
    expect(viewOrder(late.order).status).toBe("CANCELED");
    const next = await buyer.place({ ...request, price: "98" });
    expect(next.order?.id).not.toBe(first.order?.id);
    expect(viewOrder(next.order).status).toBe("NEW");
  });

  it("does not let another user read or cancel an order", async () => {
    const market = "APT-USD";
    const owner = await exchange.trader({ USD: "100" });
    const stranger = await exchange.trader({ USD: "100" });
    const bid = await owner.place({ market, side: "buy", price: "99", quantity: "0.1" });
    const id = bid.order?.id ?? "";

    // One call at a time: a second call started early could be refused before anything awaits it.
    for (const call of [() => stranger.order(id), () => stranger.cancel(id)]) {
      expect([Code.NotFound, Code.PermissionDenied]).toContain((await rpcError(call())).code);
    }
    const mine = await exchange.orderClient.listOrders({ market }, stranger.call);
    expect(mine.orders).toEqual([]);
    expect(viewOrder(await owner.order(id)).status).toBe("NEW");
    expect(await owner.balances()).toEqual({ USD: { available: "90.0802", held: "9.9198" } });
  });

  it("refuses orders on a halted market and leaves its book as it was until it resumes", async () => {
    const market = "ETC-USD";
    const { seller, buyer, ask } = await askAndBuyer(market);

    await exchange.setMarketStatus(market, "halted");
    try {
      const refused = await rpcError(buyer.place({ market, side: "buy", price: "100", quantity: "0.1" }));
      expect(refused.code).toBe(Code.FailedPrecondition);
      expect(await buyer.balances()).toEqual({ USD: { available: "100", held: "0" } });
      expect((await exchange.orderClient.listOrders({ market }, buyer.call)).orders).toEqual([]);
      expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toMatchObject({
        status: "NEW",
        filled: "0",
      });
      expect(await seller.balances()).toEqual({ ETC: { available: "0.9", held: "0.1" } });
    } finally {
      await exchange.setMarketStatus(market, "active");
    }

    const bid = await buyer.place({ market, side: "buy", price: "100", quantity: "0.1" });
    expect(viewOrder(bid.order)).toMatchObject({ status: "FILLED", filled: "0.1" });
    expect(viewOrder(await seller.order(ask.order?.id ?? ""))).toMatchObject({ status: "FILLED" });
  });
});
