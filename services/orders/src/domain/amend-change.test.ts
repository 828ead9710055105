import type { OrderRecord } from "@bourse/trading";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { amendChange } from "./amend-change.js";

const sizes = { tickSize: "0.01", lotSize: "0.001" };
const order = { quantity: "2", filledBase: 50_000_000n, baseScale: 8 } as OrderRecord;

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return ConnectError.from(error).code;
  }
  return undefined;
};

describe("amendChange", () => {
  it("turns a new total quantity into what stays open", () => {
    expect(amendChange(order, { lots: 1500n }, sizes)).toEqual({ remainingQuantity: "1", price: undefined });
    expect(amendChange(order, { ticks: 9950n }, sizes)).toEqual({
      price: "99.50",
      remainingQuantity: undefined,
    });
  });

  it("refuses no change, a total at or below the filled part, and growth", () => {
    expect(codeOf(() => amendChange(order, {}, sizes))).toBe(Code.InvalidArgument);
    expect(codeOf(() => amendChange(order, { lots: 500n }, sizes))).toBe(Code.InvalidArgument);
    expect(codeOf(() => amendChange(order, { lots: 2001n }, sizes))).toBe(Code.FailedPrecondition);
  });
});
