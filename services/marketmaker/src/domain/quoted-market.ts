import type { Market } from "@bourse/proto/bourse/inventory/v1/market_pb";

/** A market's trading rules as the market maker needs them: the decimal strings inventory publishes. */
export type QuotedMarket = Readonly<
  Pick<
    Market,
    | "symbol"
    | "base"
    | "quote"
    | "tickSize"
    | "lotSize"
    | "minQuantity"
    | "minNotional"
    | "makerFeeRate"
    | "takerFeeRate"
  >
>;

export type QuoteSide = "buy" | "sell";

/** One order the market maker wants resting: level 1 is the closest to the reference price. */
export interface LadderQuote {
  readonly side: QuoteSide;
  readonly level: number;
  readonly price: string;
  readonly quantity: string;
}
