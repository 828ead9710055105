import { describe, expect, it } from "vitest";
import { crossingBuyPrice, restingBuyPrice, smallestQuantity } from "./order-sizes.js";

const btcUsd = { tickSize: "0.01", lotSize: "0.00001", minQuantity: "0.0001", minNotional: "10" };

describe("order sizes of the browser tests", () => {
  it("rests a buy at half the best bid, on the tick", () => {
    expect(restingBuyPrice("60000.01", btcUsd)).toBe("30000.00");
    expect(restingBuyPrice("0.05", { ...btcUsd, tickSize: "0.05" })).toBe("0.00");
  });

  it("crosses the best ask by 1 %, rounded up to the tick", () => {
    expect(crossingBuyPrice("60000", btcUsd)).toBe("60600.00");
    expect(crossingBuyPrice("1.01", btcUsd)).toBe("1.03");
  });

  it("sizes the smallest order the market accepts at a price", () => {
    // 0.0001 at 30000 is 3 USD: the minimum notional of 10 USD asks for 34 lots.
    expect(smallestQuantity("30000", btcUsd)).toBe("0.00034");
    // At 200000, the minimum quantity binds: 0.0001 is 20 USD.
    expect(smallestQuantity("200000", btcUsd)).toBe("0.0001");
    expect(smallestQuantity("5", { tickSize: "1", lotSize: "1", minQuantity: "0", minNotional: "0" })).toBe(
      "1",
    );
  });
});
