import type { StreamOrderBookResponse } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { applyDelta, type Book, bookFromSnapshot } from "./order-book.ts";

/** Thrown out of the stream's message handler so that the stream runner drops the stream and subscribes again. */
export class BookGapError extends Error {
  override readonly name = "BookGapError";
}

/**
 * The handlers that build a book from StreamOrderBook for `runStream`/`useStream`: a snapshot replaces the
 * book, a delta applies only if it continues the last sequence (proto: OrderBookDelta, "Gap detection").
 * Anything else throws, which ends the stream; the reconnect starts with a fresh snapshot. Each complete book
 * goes to `onBook`; between a reconnect and its snapshot nothing does, so the last book stays shown.
 */
export function followBook(onBook: (book: Book) => void) {
  let latest: Book | undefined;
  return {
    onConnect(): void {
      latest = undefined;
    },
    onMessage({ event }: StreamOrderBookResponse): void {
      if (event.case === "snapshot") {
        latest = bookFromSnapshot(event.value);
      } else if (event.case === "delta") {
        if (!latest) throw new BookGapError("a delta came before any snapshot");
        const outcome = applyDelta(latest, event.value);
        if (outcome.kind === "gap") {
          throw new BookGapError(`expected sequence ${outcome.expected}, got ${outcome.received}`);
        }
        latest = outcome.book;
      } else {
        return;
      }
      onBook(latest);
    },
  };
}
