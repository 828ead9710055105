import { describe, expect, it } from "vitest";
import { nameSortKey, rankSortKey } from "./asset-order.js";

/** Sort keys are compared as UTF-8 bytes by both stores. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("rankSortKey", () => {
  it("orders by rank numerically, ties by symbol, unranked last", () => {
    const assets = [
      { marketCapRank: 0, symbol: "USD" },
      { marketCapRank: 10, symbol: "AAA" },
      { marketCapRank: 2, symbol: "ZZZ" },
      { marketCapRank: 2, symbol: "BTC" },
      { marketCapRank: 2, symbol: "BT" },
      { marketCapRank: 4_294_967_295, symbol: "MAX" },
      { marketCapRank: 0, symbol: "AAA" },
    ];
    const ordered = [...assets].sort((a, b) => byBytes(rankSortKey(a), rankSortKey(b)));
    expect(ordered.map((asset) => `${asset.marketCapRank}:${asset.symbol}`)).toEqual([
      "2:BT",
      "2:BTC",
      "2:ZZZ",
      "10:AAA",
      "4294967295:MAX",
      "0:AAA",
      "0:USD",
    ]);
  });
});

describe("nameSortKey", () => {
  it("orders case-insensitively, a name before its extensions, ties by symbol", () => {
    const assets = [
      { name: "foo bar", symbol: "B" },
      { name: "Foo", symbol: "Z" },
      { name: "FOO", symbol: "A" },
      { name: "Foo!", symbol: "C" },
      { name: "émile", symbol: "E" },
      { name: "Zeta", symbol: "Z1" },
      { name: "0x Protocol", symbol: "ZRX" },
    ];
    const ordered = [...assets].sort((a, b) => byBytes(nameSortKey(a), nameSortKey(b)));
    expect(ordered.map((asset) => asset.symbol)).toEqual(["ZRX", "A", "Z", "B", "C", "Z1", "E"]);
  });
});
