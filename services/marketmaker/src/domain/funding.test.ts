import { describe, expect, it } from "vitest";
import { ladderReserve, topUps, totalByAsset } from "./funding.js";
import type { LadderQuote } from "./quoted-market.js";
import { BTC_USD as btc } from "./test-support/test-markets.js";

const ladder: LadderQuote[] = [
  { side: "buy", level: 1, price: "64185.86", quantity: "0.00156" },
  { side: "buy", level: 2, price: "64121.61", quantity: "0.00157" },
  { side: "sell", level: 1, price: "64314.38", quantity: "0.00156" },
];

describe("ladderReserve", () => {
  it("holds the bids' notional plus the higher fee rounded up, and the asks' base", () => {
    // 64185.86 × 0.00156 = 100.1299416, fee 0.2002598832 → 0.2002599; 64121.61 × 0.00157 = 100.6709277,
    // fee 0.2013418554 → 0.2013419.
    expect(ladderReserve(btc, ladder)).toEqual([
      { asset: "USD", scale: 7, units: 1_001_299_416n + 2_002_599n + 1_006_709_277n + 2_013_419n },
      { asset: "BTC", scale: 5, units: 156n },
    ]);
  });
});

describe("totalByAsset", () => {
  it("adds amounts of one asset at the finer scale", () => {
    expect(
      totalByAsset([
        { asset: "USD", scale: 7, units: 15n },
        { asset: "BTC", scale: 5, units: 1n },
        { asset: "USD", scale: 6, units: 2n },
      ]),
    ).toEqual([
      { asset: "USD", scale: 7, units: 35n },
      { asset: "BTC", scale: 5, units: 1n },
    ]);
  });
});

describe("topUps", () => {
  const reserves = [
    { asset: "USD", scale: 2, units: 10_000n },
    { asset: "BTC", scale: 5, units: 156n },
  ];

  it("funds an empty account to four times the reserve", () => {
    expect(topUps(reserves, new Map())).toEqual([
      { asset: "USD", amount: "400" },
      { asset: "BTC", amount: "0.00624" },
    ]);
  });

  it("leaves an asset alone at twice the reserve and tops it up just under", () => {
    const balances = new Map([
      ["USD", "200.00000000"],
      ["BTC", "0.00311999"],
    ]);
    // BTC: 4 × 0.00156 − 0.00311999 = 0.00312001, rounded up to the lot scale.
    expect(topUps(reserves, balances)).toEqual([{ asset: "BTC", amount: "0.00313" }]);
  });

  it("asks for nothing when the ladder reserves nothing", () => {
    expect(topUps([{ asset: "ETH", scale: 4, units: 0n }], new Map())).toEqual([]);
  });
});
