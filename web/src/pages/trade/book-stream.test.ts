import {
  type StreamOrderBookResponse,
  StreamOrderBookResponseSchema,
} from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import {
  BookSide,
  LevelChangeSchema,
  OrderBookDeltaSchema,
  OrderBookSchema,
  PriceLevelSchema,
} from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import { create } from "@bufbuild/protobuf";
import type { CallOptions } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Book } from "./order-book.ts";

vi.mock("../../api/session.ts", () => ({ refreshSession: async () => true }));
const { runStream } = await import("../../api/streams.ts");
const { followBook } = await import("./book-stream.ts");

const snapshot = (sequence: bigint, bidPrice: string) =>
  create(StreamOrderBookResponseSchema, {
    event: {
      case: "snapshot",
      value: create(OrderBookSchema, {
        market: "BTC-USD",
        sequence,
        bids: [create(PriceLevelSchema, { price: bidPrice, quantity: "1", orderCount: 1 })],
      }),
    },
  });
const delta = (firstSequence: bigint, sequence: bigint, bidPrice: string) =>
  create(StreamOrderBookResponseSchema, {
    event: {
      case: "delta",
      value: create(OrderBookDeltaSchema, {
        market: "BTC-USD",
        firstSequence,
        sequence,
        changes: [
          create(LevelChangeSchema, { side: BookSide.BID, price: bidPrice, quantity: "2", orderCount: 1 }),
        ],
      }),
    },
  });

/** Each connection delivers its messages, then stays open until the reader lets go of it (`closed`). */
function scripted(connections: StreamOrderBookResponse[][]) {
  const opened: CallOptions[] = [];
  let closed = 0;
  const open = (options: CallOptions) => {
    opened.push(options);
    const messages = connections.shift() ?? [];
    return (async function* () {
      try {
        options.onHeader?.(new Headers());
        for (const message of messages) yield message;
        await new Promise((resolve) => options.signal?.addEventListener("abort", resolve));
      } finally {
        closed += 1;
      }
    })();
  };
  return { open, opened, closed: () => closed };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("followBook under runStream", () => {
  it("applies gapless deltas, and on a gap subscribes again and takes the fresh snapshot", async () => {
    const books: Book[] = [];
    const stream = scripted([
      [snapshot(10n, "100"), delta(11n, 12n, "99"), delta(14n, 14n, "98"), delta(15n, 15n, "97")],
      [snapshot(20n, "101")],
    ]);
    const stop = runStream({ open: stream.open, ...followBook((book) => books.push(book)) });
    await vi.advanceTimersByTimeAsync(0);
    expect(books.map((book) => [book.sequence, book.bids.map((level) => level.price)])).toEqual([
      [10n, ["100"]],
      [12n, ["100", "99"]],
    ]);
    expect(stream.opened).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stream.opened).toHaveLength(2);
    expect(stream.closed()).toBe(1);
    expect(books.at(-1)).toMatchObject({ sequence: 20n, bids: [{ price: "101" }] });
    expect(books).toHaveLength(3);
    stop();
  });

  it("subscribes again when a delta comes before any snapshot", async () => {
    const books: Book[] = [];
    const stream = scripted([[delta(1n, 1n, "99")], [snapshot(5n, "100")]]);
    const stop = runStream({ open: stream.open, ...followBook((book) => books.push(book)) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stream.opened).toHaveLength(2);
    expect(books.map((book) => book.sequence)).toEqual([5n]);
    stop();
  });
});
