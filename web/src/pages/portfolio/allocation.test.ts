import { type Holding, HoldingSchema } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { allocationSlices, basisPointsToPercent, percentToBasisPoints } from "./allocation.ts";

function holding(asset: string, allocationPercent: string): Holding {
  return create(HoldingSchema, { asset, allocationPercent });
}

describe("percentToBasisPoints", () => {
  it.each([
    ["61.63", 6163],
    ["100", 10000],
    ["0.5", 50],
    ["0", 0],
    ["0.07", 7],
  ])("reads %j as %i", (percent, basisPoints) => {
    expect(percentToBasisPoints(percent)).toBe(basisPoints);
  });

  it.each(["", "-1", "1.234", "1e2", "abc"])("refuses %j", (percent) => {
    expect(percentToBasisPoints(percent)).toBeUndefined();
  });

  it("writes basis points back as a percent", () => {
    expect(basisPointsToPercent(6163)).toBe("61.63");
    expect(basisPointsToPercent(7)).toBe("0.07");
    expect(basisPointsToPercent(10000)).toBe("100.00");
  });
});

describe("allocationSlices", () => {
  it("draws priced holdings with a share and skips the rest", () => {
    const slices = allocationSlices([
      holding("BTC", "70"),
      holding("USD", "30"),
      holding("XYZ", ""),
      holding("ETH", "0"),
    ]);
    expect(slices).toEqual([
      { label: "BTC", basisPoints: 7000 },
      { label: "USD", basisPoints: 3000 },
    ]);
  });

  it("sums the smallest holdings into Other beyond the slice limit", () => {
    const holdings = ["50", "20", "10", "10", "5", "5"].map((percent, i) => holding(`A${i}`, percent));
    const slices = allocationSlices(holdings, 4);
    expect(slices.map((slice) => slice.label)).toEqual(["A0", "A1", "A2", "Other"]);
    expect(slices.at(-1)?.basisPoints).toBe(2000);
    expect(slices.reduce((sum, slice) => sum + slice.basisPoints, 0)).toBe(10000);
  });
});
