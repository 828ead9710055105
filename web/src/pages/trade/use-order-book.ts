import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { useState } from "react";
import { api } from "../../api/clients.ts";
import { type StreamState, useStream } from "../../api/streams.ts";
import { followBook } from "./book-stream.ts";
import type { Book } from "./order-book.ts";

/** One market's live book from StreamOrderBook, re-snapshotted on a gap (`followBook`). */
export function useOrderBook(market: string): { book: Book | undefined; state: StreamState } {
  const [book, setBook] = useState<Book>();
  const [follower] = useState(() => followBook(setBook));
  const stream = useStream(market, {
    open: (options) => api(MarketDataService).streamOrderBook({ market }, options),
    onConnect: follower.onConnect,
    onMessage: follower.onMessage,
  });
  return { book: book?.market === market ? book : undefined, state: stream.state };
}
