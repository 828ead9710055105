import { describe, expect, it } from "vitest";
import { protectionPrice } from "./protection-price.js";

describe("protectionPrice", () => {
  it("raises the best ask by the margin and rounds up to the tick", () => {
    expect(protectionPrice("100", "0.10", "0.01")).toBe("110.00");
    expect(protectionPrice("100.01", "0.1", "0.01")).toBe("110.02");
    expect(protectionPrice("100.05", "0.10", "0.05")).toBe("110.10");
    expect(protectionPrice("7", "0", "1")).toBe("7");
  });
});
