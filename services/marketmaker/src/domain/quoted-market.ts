/** A market's trading rules as the market maker needs them: decimal strings, as inventory publishes them. */
export interface QuotedMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly minNotional: string;
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;
}

export type QuoteSide = "buy" | "sell";

/** One order the market maker wants resting: level 1 is the closest to the reference price. */
export interface LadderQuote {
  readonly side: QuoteSide;
  readonly level: number;
  readonly price: string;
  readonly quantity: string;
}
