/**
 * PortfolioService.GetPortfolio through the real services (issue #10, "Must show"): users, inventory, orders
 * and matching on one store, funds from BalanceService.Deposit, fills from PlaceOrder. LTC-USD charges 0.1% to
 * the maker and 0.2% to the taker, in USD on both sides; every expected figure is worked out by hand below.
 */
import { createServiceClient } from "@bourse/common";
import { rpcError } from "@bourse/common/testing";
import { listFundingEntries } from "@bourse/ledger";
import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { type Client, Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type OrderFlowExchange, startOrderFlowExchange } from "./support/exchange.js";
import { orderFlowProblems } from "./support/invariants.js";
import { describeWithStoresAndLocks } from "./support/with-stores-and-locks.js";

const markets = ["LTC-USD"];

describeWithStoresAndLocks("portfolio", (infrastructure) => {
  let exchange: OrderFlowExchange;
  let portfolio: Client<typeof PortfolioService>;
  beforeAll(async () => {
    const { store, locks } = infrastructure();
    exchange = await startOrderFlowExchange(store, locks, { markets });
    portfolio = createServiceClient(PortfolioService, { baseUrl: exchange.orders.rpcUrl, caller: "test" });
  });
  afterAll(() => exchange?.stop());
  afterEach(async () => {
    expect(await orderFlowProblems(exchange.store, exchange.accountIds)).toEqual([]);
  });

  it("values buys at two prices, a partial sell and fees on both sides at hand-computed figures", async () => {
    const alice = await exchange.trader({ USD: "1000" });
    const other = await exchange.trader({ USD: "1000", LTC: "10" });
    const filled = async (order: Promise<{ order?: { filledQuantity: string } }>, quantity: string) =>
      expect((await order).order?.filledQuantity).toBe(quantity);

    // Buy 2 @ 100 as taker: 200 + fee 0.4 → LTC cost 200.4.
    await other.place({ market: "LTC-USD", side: "sell", price: "100", quantity: "2" });
    await filled(alice.place({ market: "LTC-USD", side: "buy", price: "100", quantity: "2" }), "2");
    // Buy 1 @ 130 as taker: 130 + fee 0.26 → LTC 3 for 330.66, average 110.22.
    await other.place({ market: "LTC-USD", side: "sell", price: "130", quantity: "1" });
    await filled(alice.place({ market: "LTC-USD", side: "buy", price: "130", quantity: "1" }), "1");
    // Sell 1.5 @ 120 as maker: 180 − fee 0.18 = 179.82; cost out 110.22 × 1.5 = 165.33;
    // realized 179.82 − 165.33 = 14.49; LTC 1.5 for 165.33 left.
    await alice.place({ market: "LTC-USD", side: "sell", price: "120", quantity: "1.5" });
    await filled(other.place({ market: "LTC-USD", side: "buy", price: "120", quantity: "1.5" }), "1.5");
    // A resting buy of 0.5 @ 50 holds 25 + 0.05 USD: held, still owned.
    await alice.place({ market: "LTC-USD", side: "buy", price: "50", quantity: "0.5" });

    // USD: 1000 − 200.4 − 130.26 + 179.82 = 849.16 (25.05 of it held), cost = quantity.
    // LTC marked at its last trade, 120: value 180, unrealized 180 − 165.33 = 14.67.
    // Total value 1029.16: allocation USD 849.16 / 1029.16 = 82.51%, LTC 180 / 1029.16 = 17.49%.
    const response = await portfolio.getPortfolio({}, alice.call);
    expect(response.holdings.map((holding) => ({ ...holding, $typeName: undefined }))).toEqual([
      {
        $typeName: undefined,
        asset: "USD",
        quantity: "849.16",
        available: "824.11",
        held: "25.05",
        averageCost: "1",
        costBasis: "849.16",
        markPrice: "1",
        markPriceSource: PriceSource.UNSPECIFIED,
        value: "849.16",
        unrealizedPnl: "0",
        realizedPnl: "0",
        allocationPercent: "82.51",
      },
      {
        $typeName: undefined,
        asset: "LTC",
        quantity: "1.5",
        available: "1.5",
        held: "0",
        averageCost: "110.22",
        costBasis: "165.33",
        markPrice: "120",
        markPriceSource: PriceSource.LAST_TRADE,
        value: "180",
        unrealizedPnl: "14.67",
        realizedPnl: "14.49",
        allocationPercent: "17.49",
      },
    ]);
    expect(response.totals).toMatchObject({
      value: "1029.16",
      costBasis: "1014.49",
      unrealizedPnl: "14.67",
      realizedPnl: "14.49",
    });
    expect(response.asOf).toBeDefined();

    // The counterparty sees only its own holdings: USD 1000 + (200 − 0.2) + (130 − 0.13) − (180 + 0.36) =
    // 1149.31, LTC 10 − 3 + 1.5 = 8.5 (its cost depends on the price recorded at its deposit).
    const theirs = await portfolio.getPortfolio({}, other.call);
    expect(theirs.holdings.map((holding) => [holding.asset, holding.quantity])).toEqual([
      ["USD", "1149.31"],
      ["LTC", "8.5"],
    ]);
    expect(theirs.holdings[1]?.markPrice).toBe("120");
  });

  it("enters a deposit at the reference price recorded at its moment", async () => {
    const holder = await exchange.trader({ DOT: "2" });
    const [entry] = await listFundingEntries(exchange.store, holder.accountId);
    const recorded = entry?.usdPrice;
    expect(recorded).toMatch(/^[0-9]+(\.[0-9]+)?$/);
    const { holdings } = await portfolio.getPortfolio({}, holder.call);
    expect(holdings).toHaveLength(1);
    const dot = holdings[0];
    expect(dot).toMatchObject({
      asset: "DOT",
      quantity: "2",
      averageCost: recorded,
      allocationPercent: "100",
    });
    // No DOT-USD trade here: the mark is inventory's reference price, with its source.
    expect([PriceSource.SNAPSHOT, PriceSource.SIMULATED]).toContain(dot?.markPriceSource);
  });

  it("shows a user with nothing an empty portfolio, and refuses a caller without a valid token", async () => {
    const newcomer = await exchange.trader({});
    const empty = await portfolio.getPortfolio({}, newcomer.call);
    expect(empty.holdings).toEqual([]);
    expect(empty.totals).toMatchObject({ value: "0", costBasis: "0", unrealizedPnl: "0", realizedPnl: "0" });
    expect((await rpcError(portfolio.getPortfolio({}))).code).toBe(Code.Unauthenticated);
    const garbage = { headers: { authorization: "Bearer not-a-token" } };
    expect((await rpcError(portfolio.getPortfolio({}, garbage))).code).toBe(Code.Unauthenticated);
  });
});
