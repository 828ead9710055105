import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import {
  type GetPortfolioResponse,
  GetPortfolioResponseSchema,
  type Holding,
  HoldingSchema,
  PortfolioTotalsSchema,
} from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { formatRounded, type Ratio } from "../domain/portfolio/ratio.js";
import type { ValuedHolding, ValuedPortfolio } from "../domain/portfolio/value-portfolio.js";
import type { Mark } from "../prices/mark-prices.js";

/** USD figures: half-even to 8 fraction digits; allocation: half-even to 2 (the proto's rounding rules). */
const USD_DIGITS = 8;
const PERCENT_DIGITS = 2;

const usd = (value: Ratio | undefined): string =>
  value === undefined ? "" : formatRounded(value, USD_DIGITS);
const units = (amount: bigint, scale: number): string => formatDecimal(amount, scale, { trimZeros: true });
/** "120.00" (a trade price at its tick) as "120", like every other decimal of the response. */
const canonical = (decimal: string): string =>
  units(parseDecimal(decimal, decimalScale(decimal)), decimalScale(decimal));

function holdingToProto(holding: ValuedHolding, mark: Mark | undefined): Holding {
  const priced = holding.mark !== undefined && mark !== undefined;
  return create(HoldingSchema, {
    asset: holding.asset,
    quantity: units(holding.available + holding.held, holding.scale),
    available: units(holding.available, holding.scale),
    held: units(holding.held, holding.scale),
    averageCost: usd(holding.averageCost),
    costBasis: usd(holding.costBasis),
    // The mark as its source gave it: a price, not a computed figure.
    markPrice: priced ? canonical(mark.price) : "",
    markPriceSource: priced ? mark.source : PriceSource.UNSPECIFIED,
    value: usd(holding.value),
    unrealizedPnl: usd(holding.unrealizedPnl),
    realizedPnl: usd(holding.realizedPnl),
    allocationPercent: holding.allocationPercent
      ? formatRounded(holding.allocationPercent, PERCENT_DIGITS)
      : "",
  });
}

export function portfolioToProto(
  portfolio: ValuedPortfolio,
  marks: ReadonlyMap<string, Mark>,
  asOf: Date,
): GetPortfolioResponse {
  const { totals } = portfolio;
  return create(GetPortfolioResponseSchema, {
    holdings: portfolio.holdings.map((holding) => holdingToProto(holding, marks.get(holding.asset))),
    totals: create(PortfolioTotalsSchema, {
      value: usd(totals.value),
      costBasis: usd(totals.costBasis),
      unrealizedPnl: usd(totals.unrealizedPnl),
      realizedPnl: usd(totals.realizedPnl),
    }),
    asOf: timestampFromDate(asOf),
  });
}
