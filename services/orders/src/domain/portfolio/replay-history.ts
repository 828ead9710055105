import { add, compare, div, isPositive, mul, ONE, type Ratio, sub, ZERO } from "./ratio.js";

/** The asset every figure is valued in; one unit of it is worth exactly 1. */
export const USD = "USD";

/** Money entering or leaving the account. */
export interface FundingEvent {
  readonly kind: "deposit" | "withdrawal";
  readonly at: Date;
  readonly asset: string;
  readonly quantity: Ratio;
  /** USD price of one unit when it was deposited; absent when none was known then. */
  readonly usdPrice?: Ratio;
}

/** One of the account's fills: `quantity` of `base` bought or sold for `quoteAmount` of `quote`, plus `fee` in quote. */
export interface FillEvent {
  readonly kind: "fill";
  readonly at: Date;
  readonly base: string;
  readonly quote: string;
  readonly side: "buy" | "sell";
  readonly quantity: Ratio;
  readonly quoteAmount: Ratio;
  readonly fee: Ratio;
}

export type HistoryEvent = FundingEvent | FillEvent;

/** One asset's position under the weighted-average cost method, in USD. */
export interface Position {
  readonly asset: string;
  readonly quantity: Ratio;
  /** USD cost of the units held. */
  readonly costBasis: Ratio;
  /** USD realized by sells, net of their fees. */
  readonly realizedPnl: Ratio;
}

export interface ReplayOptions {
  /**
   * USD price of a deposit that recorded none (the reference price could not be had at that moment): the
   * current mark, so those units carry no unrealized P&L. Undefined → they enter at cost 0.
   */
  readonly fallbackPrice: (asset: string) => Ratio | undefined;
}

const empty = (asset: string): Position => ({ asset, quantity: ZERO, costBasis: ZERO, realizedPnl: ZERO });

/** cost basis ÷ quantity; undefined with nothing held. */
export function averageCost(position: Position): Ratio | undefined {
  return isPositive(position.quantity) ? div(position.costBasis, position.quantity) : undefined;
}

/**
 * Takes `quantity` out at average cost, realizing nothing; returns the position and the cost taken. USD's
 * average cost is 1 by definition. Taking more than is held (history not fully read yet) takes all the cost.
 */
export function takeAtAverage(position: Position, quantity: Ratio): { position: Position; cost: Ratio } {
  const average = position.asset === USD ? ONE : averageCost(position);
  const held = position.quantity;
  let cost = average === undefined ? ZERO : mul(average, quantity);
  if (position.asset !== USD && compare(quantity, held) >= 0) cost = position.costBasis;
  return {
    position: { ...position, quantity: sub(held, quantity), costBasis: sub(position.costBasis, cost) },
    cost,
  };
}

/** Puts `quantity` in at a USD `cost`. */
export const putAtCost = (position: Position, quantity: Ratio, cost: Ratio): Position => ({
  ...position,
  quantity: add(position.quantity, quantity),
  costBasis: add(position.costBasis, cost),
});

/**
 * Replays one account's deposits, withdrawals and fills, in the order given (time order), into a position
 * per asset (docs: services/orders/README.md, Portfolio):
 * - a deposit enters at its USD price of the moment (USD at 1);
 * - a withdrawal leaves at average cost and realizes nothing;
 * - a buy adds quote amount + fee (in USD) to the base's cost, and spends them from the quote position;
 * - a sell removes average cost × quantity and realizes (quote amount − fee) − that cost.
 * Quote amounts are valued at the quote's average cost, which is 1 for USD (every market quotes USD today).
 */
export function replayHistory(
  events: readonly HistoryEvent[],
  options: ReplayOptions,
): Map<string, Position> {
  const positions = new Map<string, Position>();
  const positionOf = (asset: string) => positions.get(asset) ?? empty(asset);
  const set = (position: Position) => positions.set(position.asset, position);
  const applyFunding = (event: FundingEvent) => {
    const position = positionOf(event.asset);
    if (event.kind === "withdrawal") return set(takeAtAverage(position, event.quantity).position);
    const price = event.asset === USD ? ONE : (event.usdPrice ?? options.fallbackPrice(event.asset) ?? ZERO);
    return set(putAtCost(position, event.quantity, mul(price, event.quantity)));
  };

  for (const event of events) {
    if (event.kind !== "fill") applyFunding(event);
    else if (event.side === "buy") {
      const paid = takeAtAverage(positionOf(event.quote), add(event.quoteAmount, event.fee));
      set(paid.position);
      set(putAtCost(positionOf(event.base), event.quantity, paid.cost));
    } else {
      const sold = takeAtAverage(positionOf(event.base), event.quantity);
      const proceeds = sub(event.quoteAmount, event.fee);
      const quote = positionOf(event.quote);
      const proceedsUsd = mul(event.quote === USD ? ONE : (averageCost(quote) ?? ZERO), proceeds);
      set(putAtCost(quote, proceeds, proceedsUsd));
      set({ ...sold.position, realizedPnl: add(sold.position.realizedPnl, sub(proceedsUsd, sold.cost)) });
    }
  }
  return positions;
}
