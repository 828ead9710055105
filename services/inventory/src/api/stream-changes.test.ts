import { describe, expect, it } from "vitest";
import type { PricePoint } from "../domain/price.js";
import { streamChanges } from "./stream-changes.js";

const point = (asset: string, price: string, source: PricePoint["source"] = "coingecko"): PricePoint => ({
  asset,
  price,
  source,
  asOf: 0,
  change24hPercent: "",
});

describe("streamChanges", () => {
  it("yields everything first, then only what changed in price or source, skipping quiet rounds", async () => {
    const rounds = [
      [point("BTC", "1"), point("ETH", "2")],
      [point("BTC", "1"), point("ETH", "2")],
      [point("BTC", "1.5"), point("ETH", "2")],
      [point("BTC", "1.5"), point("ETH", "2", "cache")],
    ];
    const abort = new AbortController();
    let round = 0;
    const read = async () => {
      const result = rounds[round++] ?? [];
      if (round >= rounds.length) abort.abort();
      return result;
    };
    const yielded: string[][] = [];
    for await (const changed of streamChanges(read, 1, abort.signal)) {
      yielded.push(changed.map((p) => `${p.asset}=${p.price}/${p.source}`));
    }
    expect(yielded).toEqual([["BTC=1/coingecko", "ETH=2/coingecko"], ["BTC=1.5/coingecko"], ["ETH=2/cache"]]);
  });

  it("ends quietly when aborted while waiting", async () => {
    const abort = new AbortController();
    const changes = streamChanges(async () => [point("BTC", "1")], 60_000, abort.signal);
    expect((await changes.next()).value).toHaveLength(1);
    const waiting = changes.next();
    abort.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});
