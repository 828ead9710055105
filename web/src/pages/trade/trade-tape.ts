import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";

/** How many trades the tape keeps. */
export const TAPE_LENGTH = 50;

/** `incoming` merged into `known`, once each, newest first (by the market's trade sequence), at most TAPE_LENGTH. */
export function mergeTrades(known: readonly Trade[], incoming: readonly Trade[]): Trade[] {
  const byId = new Map(known.map((trade) => [trade.id, trade]));
  for (const trade of incoming) byId.set(trade.id, trade);
  return [...byId.values()]
    .sort((a, b) => (a.sequence === b.sequence ? 0 : a.sequence > b.sequence ? -1 : 1))
    .slice(0, TAPE_LENGTH);
}
