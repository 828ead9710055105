import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { useState } from "react";
import { api } from "../../api/clients.ts";
import { type StreamState, useStream } from "../../api/streams.ts";
import { mergeTrades, TAPE_LENGTH } from "./trade-tape.ts";

/**
 * One market's latest trades, newest first: StreamTrades replays no history, so each subscription also reads
 * ListRecentTrades, which fills in what happened before it or while it was down: once as it subscribes, so the
 * tape is full at once even before the stream's first message, and again once it is established, for the
 * trades in between. The tape keeps each trade once.
 */
export function useTrades(market: string): { trades: Trade[]; state: StreamState } {
  const [tape, setTape] = useState<{ market: string; trades: Trade[] }>({ market, trades: [] });
  const merge = (incoming: readonly Trade[]) =>
    setTape((current) => ({
      market,
      trades: mergeTrades(current.market === market ? current.trades : [], incoming),
    }));
  const readHistory = () => {
    api(MarketDataService)
      .listRecentTrades({ market, limit: TAPE_LENGTH })
      .then((response) => merge(response.trades))
      // Without the history the tape still fills from the stream; the next reconnect reads it again.
      .catch(() => undefined);
  };
  const stream = useStream(market, {
    open: (options) => {
      readHistory();
      return api(MarketDataService).streamTrades({ market }, options);
    },
    onConnect: readHistory,
    onMessage: (message) => merge(message.trades),
    silentUntilEvent: true,
  });
  return { trades: tape.market === market ? tape.trades : [], state: stream.state };
}
