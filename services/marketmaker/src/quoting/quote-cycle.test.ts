import { createLogger, createServiceMetrics } from "@bourse/common";
import { Code, ConnectError } from "@connectrpc/connect";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OpenQuote } from "../domain/quote-plan.js";
import { quoteClientOrderId } from "../domain/quote-tag.js";
import type { LadderQuote } from "../domain/quoted-market.js";
import { testMarket } from "../domain/test-support/test-markets.js";
import type { ExchangeApi } from "../exchange/exchange-api.js";
import { createMarketMakerMetrics } from "../metrics.js";
import { Notices } from "./notices.js";
import { type QuoteCycleDeps, runQuoteCycle } from "./quote-cycle.js";

interface FakeOrder extends OpenQuote {
  readonly market: string;
  open: boolean;
}

/** The exchange as the market maker sees it, in memory, with switches for outages and refusals. */
class FakeExchange implements ExchangeApi {
  markets = [
    testMarket("BTC-USD", "0.01", "0.00001"),
    testMarket("ETH-USD", "0.01", "0.0001"),
    testMarket("SOL-USD", "0.01", "0.001"),
  ];
  prices = new Map([
    ["BTC", "64000"],
    ["ETH", "2500"],
    ["SOL", "150"],
  ]);
  orders: FakeOrder[] = [];
  deposits: Array<{ asset: string; amount: string; key: string }> = [];
  balanceOf = new Map<string, string>();
  unreachableMarkets = new Set<string>();
  fundingOff = false;
  private sequence = 0;

  async activeMarkets() {
    return this.markets;
  }
  async referencePrice(asset: string) {
    const price = this.prices.get(asset);
    if (!price) throw new ConnectError(`no price for ${asset}`, Code.InvalidArgument);
    return { price, source: "snapshot" };
  }
  async openQuotes() {
    const byMarket = new Map<string, OpenQuote[]>();
    for (const order of this.orders.filter((candidate) => candidate.open)) {
      byMarket.set(order.market, [...(byMarket.get(order.market) ?? []), order]);
    }
    return byMarket;
  }
  async balances() {
    return this.balanceOf;
  }
  async deposit(asset: string, amount: string, key: string) {
    if (this.fundingOff) throw new ConnectError("simulated funding is off", Code.FailedPrecondition);
    this.deposits.push({ asset, amount, key });
  }
  async place(symbol: string, quote: LadderQuote, clientOrderId: string) {
    if (this.unreachableMarkets.has(symbol)) throw new ConnectError("no owner", Code.Unavailable);
    this.orders.push({
      market: symbol,
      orderId: `01J${String(++this.sequence).padStart(23, "0")}`,
      clientOrderId,
      side: quote.side,
      price: quote.price,
      remainingQuantity: quote.quantity,
      open: true,
    });
    return "NEW";
  }
  async cancel(orderId: string) {
    const order = this.orders.find((candidate) => candidate.orderId === orderId);
    if (order && this.unreachableMarkets.has(order.market))
      throw new ConnectError("no owner", Code.Unavailable);
    if (order) order.open = false;
  }
  open(symbol: string) {
    return this.orders.filter((order) => order.open && order.market === symbol);
  }
}

describe("runQuoteCycle", () => {
  let exchange: FakeExchange;
  let deps: QuoteCycleDeps;
  /** How many warnings so far start with `prefix`. */
  let warned: (prefix: string) => number;

  beforeEach(() => {
    exchange = new FakeExchange();
    const logger = createLogger("marketmaker", { level: "silent" });
    const warn = vi.spyOn(logger, "warn");
    warned = (prefix) => warn.mock.calls.filter((call) => String(call[1]).startsWith(prefix)).length;
    let nonces = 0;
    let keys = 0;
    deps = {
      api: exchange,
      markets: ["BTC-USD", "ETH-USD"],
      ladder: { levels: 2, spreadBps: 10, stepBps: 10, levelNotional: "100" },
      repriceBps: 5,
      funding: true,
      metrics: createMarketMakerMetrics(createServiceMetrics().registry),
      notices: new Notices(logger),
      nonce: () => `n${++nonces}`,
      depositKey: () => `key-${++keys}`,
    };
  });

  it("funds the account, then places each quoted market's ladder, and leaves it alone while it fits", async () => {
    await runQuoteCycle(deps);
    expect(exchange.deposits.map((deposit) => deposit.asset)).toEqual(["USD", "BTC", "ETH"]);
    expect(new Set(exchange.deposits.map((deposit) => deposit.key)).size).toBe(3);
    expect(exchange.open("BTC-USD").map((order) => `${order.side} ${order.price}`)).toEqual([
      "buy 63936",
      "sell 64064",
      "buy 63872",
      "sell 64128",
    ]);
    expect(exchange.open("ETH-USD")).toHaveLength(4);
    expect(exchange.open("SOL-USD")).toHaveLength(0);

    for (const [asset, deposit] of exchange.deposits.map((d) => [d.asset, d.amount] as const)) {
      exchange.balanceOf.set(asset, deposit);
    }
    const before = exchange.orders.length;
    await runQuoteCycle(deps);
    expect(exchange.orders.length).toBe(before);
    expect(exchange.deposits).toHaveLength(3);
  });

  it("replaces the ladder when the reference price moves past the tolerance", async () => {
    await runQuoteCycle(deps);
    const first = exchange.open("BTC-USD").map((order) => order.orderId);
    exchange.prices.set("BTC", "64032"); // 5 bps: every level is still within tolerance
    await runQuoteCycle(deps);
    expect(exchange.open("BTC-USD").map((order) => order.orderId)).toEqual(first);
    exchange.prices.set("BTC", "64640"); // 1%
    await runQuoteCycle(deps);
    const now = exchange.open("BTC-USD");
    expect(now).toHaveLength(4);
    expect(now.some((order) => first.includes(order.orderId))).toBe(false);
    expect(now.map((order) => order.price)).toContain("64575.36");
  });

  it("cancels the orders of a market it no longer quotes", async () => {
    exchange.orders.push({
      market: "SOL-USD",
      orderId: "01J00000000000000000000000",
      clientOrderId: quoteClientOrderId({ side: "buy", level: 1 }, "old"),
      side: "buy",
      price: "149",
      remainingQuantity: "1",
      open: true,
    });
    await runQuoteCycle(deps);
    expect(exchange.open("SOL-USD")).toHaveLength(0);
  });

  it("keeps quoting the other markets while one market's orders do not answer, and says so once", async () => {
    exchange.unreachableMarkets.add("ETH-USD");
    await runQuoteCycle(deps);
    await runQuoteCycle(deps);
    expect(exchange.open("BTC-USD")).toHaveLength(4);
    expect(exchange.open("ETH-USD")).toHaveLength(0);
    expect(warned("ETH-USD: orders did not answer")).toBe(1);
    exchange.unreachableMarkets.clear();
    await runQuoteCycle(deps);
    expect(exchange.open("ETH-USD")).toHaveLength(4);
  });

  it("quotes with what the account has when funding is refused", async () => {
    exchange.fundingOff = true;
    await runQuoteCycle(deps);
    await runQuoteCycle(deps);
    expect(exchange.open("BTC-USD")).toHaveLength(4);
    expect(warned("cannot fund USD")).toBe(1);
  });

  it("fails the cycle when a read does not answer, for the loop to back off", async () => {
    exchange.openQuotes = async () => {
      throw new ConnectError("connect ECONNREFUSED", Code.Unavailable);
    };
    await expect(runQuoteCycle(deps)).rejects.toThrow(/ECONNREFUSED/);
    expect(exchange.orders).toHaveLength(0);
  });
});
