import { describe, expect, it } from "vitest";
import { formatRounded, fromDecimal, mul, ONE, type Ratio } from "./ratio.js";
import { type HistoryEvent, type Position, replayHistory } from "./replay-history.js";
import { type OwnedBalance, type ValuedHolding, valuePortfolio } from "./value-portfolio.js";

const d = fromDecimal;
const at = new Date("2025-01-01T00:00:00Z");
const noFallback = { fallbackPrice: () => undefined };

const deposit = (asset: string, quantity: string, usdPrice?: string): HistoryEvent => ({
  kind: "deposit",
  at,
  asset,
  quantity: d(quantity),
  usdPrice: usdPrice === undefined ? undefined : d(usdPrice),
});
const withdrawal = (asset: string, quantity: string): HistoryEvent => ({
  kind: "withdrawal",
  at,
  asset,
  quantity: d(quantity),
});
const fill = (
  side: "buy" | "sell",
  base: string,
  quantity: string,
  price: string,
  fee: string,
): HistoryEvent => ({
  kind: "fill",
  at,
  base,
  quote: "USD",
  side,
  quantity: d(quantity),
  quoteAmount: mul(d(quantity), d(price)),
  fee: d(fee),
});

/** A position as the rounded strings a response would show. */
function shown(position: Position | undefined) {
  return (
    position && {
      quantity: formatRounded(position.quantity, 8),
      costBasis: formatRounded(position.costBasis, 8),
      realizedPnl: formatRounded(position.realizedPnl, 8),
    }
  );
}

/**
 * The hand-computed history (fees are in USD, the quote, on both sides):
 * - USD: +10000, +20000 deposited.
 * - buy 0.1 BTC @ 40000, fee 8 → BTC cost 4008.
 * - buy 0.3 BTC @ 42000, fee 12.6 → BTC 0.4 for 16620.6, average 41551.5.
 * - sell 0.25 BTC @ 45000, fee 22.5 → cost out 41551.5 × 0.25 = 10387.875; realized 11250 − 22.5 − 10387.875
 *   = 839.625; BTC 0.15 for 6232.725.
 * - 2 ETH deposited at 2500 (cost 5000), 0.5 withdrawn at average (−1250, nothing realized): 1.5 for 3750.
 * - buy 10 SOL @ 100, fee 1 (cost 1001); sell 10 @ 110, fee 2.2 → realized 1097.8 − 1001 = 96.8, SOL 0.
 * - USD: 30000 − 4008 − 12612.6 + 11227.5 − 1001 + 1097.8 = 24703.7, cost = quantity.
 */
const history: HistoryEvent[] = [
  deposit("USD", "10000"),
  fill("buy", "BTC", "0.1", "40000", "8"),
  deposit("USD", "20000"),
  fill("buy", "BTC", "0.3", "42000", "12.6"),
  fill("sell", "BTC", "0.25", "45000", "22.5"),
  deposit("ETH", "2", "2500"),
  withdrawal("ETH", "0.5"),
  fill("buy", "SOL", "10", "100", "1"),
  fill("sell", "SOL", "10", "110", "2.2"),
];

describe("replayHistory (weighted-average cost in USD)", () => {
  const positions = replayHistory(history, noFallback);

  it("adds quote amount plus fee to the cost of buys at different prices", () => {
    const buys = replayHistory(history.slice(0, 4), noFallback);
    expect(shown(buys.get("BTC"))).toEqual({ quantity: "0.4", costBasis: "16620.6", realizedPnl: "0" });
  });

  it("realizes (price − average cost) × quantity − fee on a partial sell and keeps the average", () => {
    expect(shown(positions.get("BTC"))).toEqual({
      quantity: "0.15",
      costBasis: "6232.725",
      realizedPnl: "839.625",
    });
  });

  it("enters a deposit at its price of the moment and takes a withdrawal out at average cost", () => {
    expect(shown(positions.get("ETH"))).toEqual({ quantity: "1.5", costBasis: "3750", realizedPnl: "0" });
  });

  it("keeps an asset sold out at quantity 0 with its realized P&L", () => {
    expect(shown(positions.get("SOL"))).toEqual({ quantity: "0", costBasis: "0", realizedPnl: "96.8" });
  });

  it("keeps USD at cost = quantity, realizing nothing", () => {
    expect(shown(positions.get("USD"))).toEqual({
      quantity: "24703.7",
      costBasis: "24703.7",
      realizedPnl: "0",
    });
  });

  it("prices a deposit that recorded no price at the fallback, else at 0", () => {
    const events = [deposit("DOGE", "100")];
    expect(shown(replayHistory(events, { fallbackPrice: () => d("0.25") }).get("DOGE"))?.costBasis).toBe(
      "25",
    );
    expect(shown(replayHistory(events, noFallback).get("DOGE"))?.costBasis).toBe("0");
  });

  it("stays exact when the average cost is not a finite decimal", () => {
    const thirds = replayHistory(
      [deposit("USD", "100"), fill("buy", "BTC", "3", "3", "1"), fill("sell", "BTC", "1", "4", "0")],
      noFallback,
    ).get("BTC");
    // 3 BTC for 10 → average 10/3; selling 1 at 4 realizes 4 − 10/3 = 2/3; 2 BTC left cost 20/3.
    expect(thirds?.realizedPnl).toEqual({ num: 2n, den: 3n });
    expect(thirds?.costBasis).toEqual({ num: 20n, den: 3n });
    expect(shown(thirds)?.costBasis).toBe("6.66666667");
  });
});

const balance = (asset: string, scale: number, available: string, held = "0"): OwnedBalance => ({
  asset,
  scale,
  available: (d(available).num * 10n ** BigInt(scale)) / d(available).den,
  held: (d(held).num * 10n ** BigInt(scale)) / d(held).den,
});

function shownHolding(holding: ValuedHolding) {
  const money = (value: Ratio | undefined) => (value === undefined ? "" : formatRounded(value, 8));
  return {
    asset: holding.asset,
    quantity: money(holding.quantity),
    averageCost: money(holding.averageCost),
    costBasis: money(holding.costBasis),
    mark: money(holding.mark),
    value: money(holding.value),
    unrealizedPnl: money(holding.unrealizedPnl),
    realizedPnl: money(holding.realizedPnl),
    allocationPercent: holding.allocationPercent ? formatRounded(holding.allocationPercent, 2) : "",
  };
}

describe("valuePortfolio", () => {
  const positions = replayHistory(history, noFallback);
  const balances = [
    balance("BTC", 8, "0.05", "0.1"),
    balance("ETH", 8, "1.5"),
    balance("SOL", 8, "0"),
    balance("USD", 2, "24703.7"),
  ];
  const marks = new Map([
    ["BTC", d("50000")],
    ["ETH", d("3000")],
    ["SOL", d("120")],
    ["USD", ONE],
  ]);

  it("values each holding at its mark, largest first, with its share of the total", () => {
    const portfolio = valuePortfolio(positions, balances, marks);
    expect(portfolio.holdings.map(shownHolding)).toEqual([
      {
        asset: "USD",
        quantity: "24703.7",
        averageCost: "1",
        costBasis: "24703.7",
        mark: "1",
        value: "24703.7",
        unrealizedPnl: "0",
        realizedPnl: "0",
        allocationPercent: "67.31",
      },
      {
        asset: "BTC",
        quantity: "0.15",
        averageCost: "41551.5",
        costBasis: "6232.725",
        mark: "50000",
        value: "7500",
        unrealizedPnl: "1267.275",
        realizedPnl: "839.625",
        allocationPercent: "20.43",
      },
      {
        asset: "ETH",
        quantity: "1.5",
        averageCost: "2500",
        costBasis: "3750",
        mark: "3000",
        value: "4500",
        unrealizedPnl: "750",
        realizedPnl: "0",
        allocationPercent: "12.26",
      },
      {
        asset: "SOL",
        quantity: "0",
        averageCost: "",
        costBasis: "0",
        mark: "120",
        value: "0",
        unrealizedPnl: "0",
        realizedPnl: "96.8",
        allocationPercent: "0",
      },
    ]);
    const totals = portfolio.totals;
    expect(
      [totals.value, totals.costBasis, totals.unrealizedPnl, totals.realizedPnl].map((v) =>
        formatRounded(v, 8),
      ),
    ).toEqual(["36703.7", "34686.425", "2017.275", "936.425"]);
    const btc = portfolio.holdings[1];
    expect([btc?.available, btc?.held]).toEqual([5_000_000n, 10_000_000n]);
  });

  it("leaves an unpriced holding without value, last, counting toward cost and realized P&L only", () => {
    const portfolio = valuePortfolio(positions, balances, new Map([["USD", ONE]]));
    expect(portfolio.holdings.map((holding) => [holding.asset, holding.value === undefined])).toEqual([
      ["USD", false],
      ["BTC", true],
      ["ETH", true],
      ["SOL", true],
    ]);
    expect(formatRounded(portfolio.totals.value, 8)).toBe("24703.7");
    expect(formatRounded(portfolio.totals.costBasis, 8)).toBe("34686.425");
    expect(formatRounded(portfolio.totals.unrealizedPnl, 8)).toBe("0");
    expect(portfolio.holdings[0]?.allocationPercent).toEqual(d("100"));
  });

  it("drops an asset neither held nor realized in", () => {
    const portfolio = valuePortfolio(new Map(), [balance("ADA", 6, "0")], new Map());
    expect(portfolio.holdings).toEqual([]);
    expect(portfolio.totals.value).toEqual(d("0"));
  });

  it("brings the history to the balance: unexplained units enter at the mark, missing ones leave at average", () => {
    const read = new Map(replayHistory([deposit("ETH", "2", "2500")], noFallback));
    const more = valuePortfolio(read, [balance("ETH", 8, "3")], new Map([["ETH", d("3000")]]));
    expect(shownHolding(more.holdings[0] as ValuedHolding)).toMatchObject({
      costBasis: "8000",
      averageCost: "2666.66666667",
    });
    const fewer = valuePortfolio(read, [balance("ETH", 8, "1")], new Map([["ETH", d("3000")]]));
    expect(shownHolding(fewer.holdings[0] as ValuedHolding)).toMatchObject({
      costBasis: "2500",
      unrealizedPnl: "500",
    });
  });
});
