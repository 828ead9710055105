import { TradeSchema } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { type ChartCandle, foldTrades } from "./candles.ts";

const minute = 60_000;
const trade = (price: string, atMs: number) =>
  create(TradeSchema, { price, executedAt: timestampFromMs(atMs) });
const candle: ChartCandle = { openTimeMs: 10 * minute, open: "100", high: "101", low: "99", close: "100.5" };

describe("foldTrades", () => {
  it("extends the running candle: high, low and close move, open stays", () => {
    const [folded] = foldTrades(
      [candle],
      [trade("102.5", 10 * minute + 5_000), trade("98.75", 10 * minute + 6_000)],
      minute,
    );
    expect(folded).toEqual({
      openTimeMs: 10 * minute,
      open: "100",
      high: "102.5",
      low: "98.75",
      close: "98.75",
    });
  });

  it("opens a candle at the interval's start for a trade after the running one", () => {
    const folded = foldTrades([candle], [trade("103", 12 * minute + 59_999)], minute);
    expect(folded.at(-1)).toEqual({
      openTimeMs: 12 * minute,
      open: "103",
      high: "103",
      low: "103",
      close: "103",
    });
    expect(folded).toHaveLength(2);
  });

  it("skips trades older than the last candle read, and starts from nothing", () => {
    expect(foldTrades([candle], [trade("1", 9 * minute)], minute)).toEqual([candle]);
    expect(foldTrades([], [trade("5", 3 * minute + 1)], minute)).toEqual([
      { openTimeMs: 3 * minute, open: "5", high: "5", low: "5", close: "5" },
    ]);
  });

  it("compares prices as decimals, not text", () => {
    const [folded] = foldTrades(
      [{ ...candle, high: "99.9", low: "99.9" }],
      [trade("100", 10 * minute + 1)],
      minute,
    );
    expect(folded?.high).toBe("100");
    expect(folded?.low).toBe("99.9");
  });
});
