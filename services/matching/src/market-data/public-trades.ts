import { canonicalDecimal } from "../domain/level-state.js";
import type { CommandOutcome } from "../domain/outcome.js";
import type { PublicTrade } from "./market-feed.js";

/**
 * The public prints of a command's fills, oldest first: what traded, without who. The taker is the order the
 * command was about, so it is the buyer unless the buyer was the maker.
 */
export function publicTradesOf(outcome: CommandOutcome): PublicTrade[] {
  return outcome.steps.map(({ trade }) => ({
    market: trade.market,
    tradeId: trade.tradeId,
    sequence: Number(trade.sequence),
    price: canonicalDecimal(trade.price),
    quantity: canonicalDecimal(trade.quantity),
    quoteAmount: canonicalDecimal(trade.quoteAmount),
    takerSide: trade.buyer.maker ? "sell" : "buy",
    executedAt: trade.executedAt,
  }));
}
