import type { MarketDayStats } from "./history/market-history.js";
import type { TickerState } from "./market-feed.js";

const NO_TRADES: MarketDayStats = { volume24h: "0", quoteVolume24h: "0" };

/**
 * A market's ticker: the 24 h figures of its history (absent until the history has loaded: no trade known
 * yet) and the top of its book. Fields without a value are left out, as the proto leaves them empty.
 */
export function tickerOf(
  market: string,
  day: MarketDayStats | undefined,
  top: { readonly bestBid?: string; readonly bestAsk?: string },
  asOf: Date,
): TickerState {
  const { lastPrice, open24h, high24h, low24h, volume24h, quoteVolume24h, change24hPercent } =
    day ?? NO_TRADES;
  return {
    market,
    ...(lastPrice === undefined ? {} : { lastPrice }),
    ...(top.bestBid === undefined ? {} : { bestBid: top.bestBid }),
    ...(top.bestAsk === undefined ? {} : { bestAsk: top.bestAsk }),
    ...(open24h === undefined ? {} : { open24h }),
    ...(high24h === undefined ? {} : { high24h }),
    ...(low24h === undefined ? {} : { low24h }),
    volume24h,
    quoteVolume24h,
    ...(change24hPercent === undefined ? {} : { change24hPercent }),
    asOf,
  };
}
