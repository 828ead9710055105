import { parseDecimal } from "@bourse/common/money";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  engineQuoteBudget,
  feeOf,
  holdFor,
  lotsToBaseUnits,
  lotsToQuantity,
  notionalToQuoteUnits,
  priceToTicks,
  quantityToLots,
  ticksToPrice,
} from "./order-amounts.js";
import type { TradingMarket } from "./trading-market.js";

const btcUsd: TradingMarket = {
  symbol: "BTC-USD",
  base: "BTC",
  quote: "USD",
  baseScale: 8,
  quoteScale: 8,
  tickSize: "0.01",
  lotSize: "0.00001",
  minQuantity: "0.00001",
  minNotional: "5",
  makerFeeRate: "0.001",
  takerFeeRate: "0.002",
  status: "active",
};

describe("ticks and lots", () => {
  it("counts whole steps and formats them back at the step's scale", () => {
    expect(priceToTicks("100.15", { tickSize: "0.05" })).toBe(2003);
    expect(priceToTicks("40000.5", btcUsd)).toBe(4_000_050);
    expect(ticksToPrice(4_000_050, btcUsd)).toBe("40000.50");
    expect(quantityToLots("0.125", btcUsd)).toBe(12_500);
    expect(lotsToQuantity(12_500, btcUsd)).toBe("0.12500");
    expect(lotsToBaseUnits(12_500, btcUsd)).toBe(12_500_000n);
    expect(lotsToBaseUnits(3n, btcUsd)).toBe(3_000n);
  });

  it("refuses a value off the step, a malformed value and a count the engine cannot hold exactly", () => {
    expect(() => priceToTicks("100.03", { tickSize: "0.05" })).toThrow(
      expect.objectContaining({ name: "OrderAmountError", code: "PRICE_NOT_ON_TICK" }),
    );
    expect(() => quantityToLots("0.000015", btcUsd)).toThrow(
      expect.objectContaining({ code: "QUANTITY_NOT_ON_LOT" }),
    );
    for (const malformed of ["", "1e3", "-1", " 1", "1."]) {
      expect(() => priceToTicks(malformed, btcUsd)).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    }
    expect(() => quantityToLots("90071992547.40993", btcUsd)).toThrow(
      expect.objectContaining({ code: "TOO_LARGE" }),
    );
  });

  it("turns ticks × lots into quote units: 0.01 × 0.00001 is 0.0000001 USD, 10 units at scale 8", () => {
    expect(notionalToQuoteUnits(1n, btcUsd)).toBe(10n);
    expect(notionalToQuoteUnits(4_000_050n * 12_500n, btcUsd)).toBe(500_006_250_000n);
  });
});

describe("feeOf", () => {
  it("rounds down", () => {
    expect(feeOf(500_006_250_000n, "0.002")).toBe(1_000_012_500n);
    expect(feeOf(999n, "0.001")).toBe(0n);
    expect(feeOf(1999n, "0.001")).toBe(1n);
    expect(feeOf(12_345n, "0")).toBe(0n);
  });
});

describe("holdFor", () => {
  it("holds a limit buy's notional plus the fee at the higher rate, rounded up", () => {
    const hold = holdFor(
      { side: "buy", type: "limit", price: "40000.5", quantity: "0.125", quoteAmount: "" },
      btcUsd,
    );
    expect(hold).toEqual({ asset: "USD", amount: 500_006_250_000n + 1_000_012_500n });
    const rounded = holdFor(
      { side: "buy", type: "limit", price: "0.01", quantity: "0.00001", quoteAmount: "" },
      btcUsd,
    );
    expect(rounded).toEqual({ asset: "USD", amount: 10n + 1n });
  });

  it("holds a market buy sized in base like a limit buy at its protection price", () => {
    const limit = holdFor(
      { side: "buy", type: "limit", price: "44000", quantity: "0.5", quoteAmount: "" },
      btcUsd,
    );
    const market = holdFor(
      { side: "buy", type: "market", price: "44000", quantity: "0.5", quoteAmount: "" },
      btcUsd,
    );
    expect(market).toEqual(limit);
  });

  it("holds a market buy's quote budget and a sell's base quantity", () => {
    expect(
      holdFor({ side: "buy", type: "market", price: "", quantity: "", quoteAmount: "250.5" }, btcUsd),
    ).toEqual({
      asset: "USD",
      amount: 25_050_000_000n,
    });
    expect(
      holdFor({ side: "sell", type: "limit", price: "40000", quantity: "0.125", quoteAmount: "" }, btcUsd),
    ).toEqual({ asset: "BTC", amount: 12_500_000n });
    expect(
      holdFor({ side: "sell", type: "market", price: "", quantity: "0.125", quoteAmount: "" }, btcUsd),
    ).toEqual({
      asset: "BTC",
      amount: 12_500_000n,
    });
  });

  it("refuses a quote budget finer than the quote asset", () => {
    expect(() =>
      holdFor({ side: "buy", type: "market", price: "", quantity: "", quoteAmount: "0.000000001" }, btcUsd),
    ).toThrow(expect.objectContaining({ code: "MALFORMED" }));
  });
});

describe("engineQuoteBudget", () => {
  it("leaves room for the taker fee", () => {
    // 100.2 USD at a 0.2% taker fee buys 100 USD of notional: 10^9 notional units of 10^-7 USD.
    expect(engineQuoteBudget(10_020_000_000n, btcUsd)).toBe(1_000_000_000n);
    expect(engineQuoteBudget(0n, btcUsd)).toBe(0n);
    expect(engineQuoteBudget(9n, btcUsd)).toBe(0n);
  });
});

/** A market whose sizes are consistent, as inventory guarantees: tick × lot fits the quote scale. */
const marketArbitrary = fc
  .record({
    tickDigits: fc.integer({ min: 0, max: 4 }),
    tickMantissa: fc.integer({ min: 1, max: 50 }),
    lotDigits: fc.integer({ min: 0, max: 6 }),
    lotMantissa: fc.integer({ min: 1, max: 10 }),
    spareQuoteDigits: fc.integer({ min: 0, max: 3 }),
    spareBaseDigits: fc.integer({ min: 0, max: 3 }),
    makerPpm: fc.integer({ min: 0, max: 20_000 }),
    takerPpm: fc.integer({ min: 0, max: 20_000 }),
  })
  .map((shape): TradingMarket => {
    const decimal = (mantissa: number, digits: number) =>
      digits === 0
        ? String(mantissa)
        : `${String(mantissa)
            .padStart(digits + 1, "0")
            .slice(0, -digits)}.${String(mantissa)
            .padStart(digits + 1, "0")
            .slice(-digits)}`;
    return {
      ...btcUsd,
      tickSize: decimal(shape.tickMantissa, shape.tickDigits),
      lotSize: decimal(shape.lotMantissa, shape.lotDigits),
      quoteScale: shape.tickDigits + shape.lotDigits + shape.spareQuoteDigits,
      baseScale: shape.lotDigits + shape.spareBaseDigits,
      makerFeeRate: decimal(shape.makerPpm, 6),
      takerFeeRate: decimal(shape.takerPpm, 6),
    };
  });

/** Splits `total` into positive parts at the given cut points. */
function split(total: number, cuts: readonly number[]): number[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < total))].sort((a, b) => a - b);
  return [...points, total].map((point, index) => point - (index === 0 ? 0 : (points[index - 1] ?? 0)));
}

describe("amount rules, for any consistent market", () => {
  it("the fills of a limit buy, at its price or better and either fee rate, never cost more than its hold", () => {
    fc.assert(
      fc.property(
        marketArbitrary,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.record({ cut: fc.nat(), improvement: fc.nat(), maker: fc.boolean() }), { maxLength: 20 }),
        (market, priceTicks, lots, fillShapes) => {
          const order = {
            side: "buy" as const,
            type: "limit" as const,
            price: ticksToPrice(priceTicks, market),
            quantity: lotsToQuantity(lots, market),
            quoteAmount: "",
          };
          const hold = holdFor(order, market);
          const parts = split(
            lots,
            fillShapes.map((shape) => shape.cut % lots),
          );
          let cost = 0n;
          parts.forEach((fillLots, index) => {
            const shape = fillShapes[index];
            const fillTicks = priceTicks - ((shape?.improvement ?? 0) % priceTicks);
            const quote = notionalToQuoteUnits(BigInt(fillTicks) * BigInt(fillLots), market);
            cost += quote + feeOf(quote, shape?.maker ? market.makerFeeRate : market.takerFeeRate);
          });
          expect(hold.asset).toBe(market.quote);
          expect(cost).toBeLessThanOrEqual(hold.amount);
        },
      ),
    );
  });

  it("a limit buy holds exactly price × quantity plus the fee at the higher rate, rounded up", () => {
    fc.assert(
      fc.property(
        marketArbitrary,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (market, priceTicks, lots) => {
          const price = ticksToPrice(priceTicks, market);
          const quantity = lotsToQuantity(lots, market);
          const hold = holdFor({ side: "buy", type: "limit", price, quantity, quoteAmount: "" }, market);
          // Reference: the decimals multiplied at a scale far beyond any market's, then brought to quote units.
          const wide = 20;
          const notionalWide = parseDecimal(price, wide) * parseDecimal(quantity, wide);
          const toQuote = 10n ** BigInt(2 * wide - market.quoteScale);
          expect(notionalWide % toQuote).toBe(0n);
          const notional = notionalWide / toQuote;
          const rateMillionths = BigInt(
            Math.max(
              Number(parseDecimal(market.makerFeeRate, 6)),
              Number(parseDecimal(market.takerFeeRate, 6)),
            ),
          );
          const feeReserve = (notional * rateMillionths + 999_999n) / 1_000_000n;
          expect(hold.amount).toBe(notional + feeReserve);
        },
      ),
    );
  });

  it("a market buy by quote spends the most notional whose fills and taker fees fit its budget", () => {
    fc.assert(
      fc.property(
        marketArbitrary,
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (market, budget, cuts) => {
          const notional = engineQuoteBudget(budget, market);
          const costOf = (units: bigint) => {
            const quote = notionalToQuoteUnits(units, market);
            return quote + feeOf(quote, market.takerFeeRate);
          };
          expect(costOf(notional)).toBeLessThanOrEqual(budget);
          expect(costOf(notional + 1n)).toBeGreaterThan(budget);
          if (notional > 0n && notional <= BigInt(Number.MAX_SAFE_INTEGER)) {
            const parts = split(
              Number(notional),
              cuts.map((cut) => cut % Number(notional)),
            );
            const spent = parts.reduce((sum, part) => sum + costOf(BigInt(part)), 0n);
            expect(spent).toBeLessThanOrEqual(budget);
          }
        },
      ),
    );
  });

  it("ticks and lots survive a trip through their decimal form", () => {
    fc.assert(
      fc.property(marketArbitrary, fc.nat(), fc.nat(), (market, ticks, lots) => {
        expect(priceToTicks(ticksToPrice(ticks, market), market)).toBe(ticks);
        expect(quantityToLots(lotsToQuantity(lots, market), market)).toBe(lots);
        expect(lotsToBaseUnits(lots, market)).toBe(
          parseDecimal(lotsToQuantity(lots, market), market.baseScale),
        );
      }),
    );
  });
});
