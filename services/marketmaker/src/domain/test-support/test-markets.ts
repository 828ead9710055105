import type { QuotedMarket } from "../quoted-market.js";

/** A market named `BASE-QUOTE` with minimum quantity one lot, minimum notional 5, fees 0.1% / 0.2%. */
export function testMarket(symbol: string, tickSize: string, lotSize: string): QuotedMarket {
  const [base = "", quote = ""] = symbol.split("-");
  return {
    symbol,
    base,
    quote,
    tickSize,
    lotSize,
    minQuantity: lotSize,
    minNotional: "5",
    makerFeeRate: "0.001",
    takerFeeRate: "0.002",
  };
}

/** BTC-USD with inventory's seed rules: tick 0.01, lot 0.00001. */
export const BTC_USD = testMarket("BTC-USD", "0.01", "0.00001");
