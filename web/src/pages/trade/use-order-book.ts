import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { useRef, useState } from "react";
import { api } from "../../api/clients.ts";
import { type StreamState, useStream } from "../../api/streams.ts";
import { applyDelta, type Book, bookFromSnapshot } from "./order-book.ts";

/** Thrown out of the stream's message handler so that useStream drops the stream and subscribes again. */
class BookGapError extends Error {
  override readonly name = "BookGapError";
}

/**
 * One market's live book from StreamOrderBook: a snapshot, then gapless deltas. A delta that does not continue
 * the last sequence applied (or one before any snapshot) ends the stream; the reconnect starts with a fresh
 * snapshot (proto: OrderBookDelta, "Gap detection"). The last complete book stays shown meanwhile.
 */
export function useOrderBook(market: string): { book: Book | undefined; state: StreamState } {
  const [book, setBook] = useState<Book>();
  const latest = useRef<Book | undefined>(undefined);
  const stream = useStream(market, {
    open: (options) => api(MarketDataService).streamOrderBook({ market }, options),
    onConnect: () => {
      latest.current = undefined;
    },
    onMessage: ({ event }) => {
      if (event.case === "snapshot") {
        latest.current = bookFromSnapshot(event.value);
      } else if (event.case === "delta") {
        if (!latest.current) throw new BookGapError("a delta came before any snapshot");
        const outcome = applyDelta(latest.current, event.value);
        if (outcome.kind === "gap") {
          throw new BookGapError(`expected sequence ${outcome.expected}, got ${outcome.received}`);
        }
        latest.current = outcome.book;
      } else {
        return;
      }
      setBook(latest.current);
    },
  });
  return { book: book?.market === market ? book : undefined, state: stream.state };
}
