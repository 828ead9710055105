import { describe, expect, it } from "vitest";
import { RequestBudget } from "./request-budget.js";
import { backoffDelay, parseRetryAfter } from "./retry-timing.js";

describe("backoffDelay", () => {
  it("doubles its ceiling per attempt up to the maximum, jittered within the upper half", () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 100, 500, () => 0))).toEqual([
      50, 100, 200, 250, 250,
    ]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 100, 500, () => 1))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-06-30T12:00:00Z");
  it("reads delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Mon, 30 Jun 2025 12:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Mon, 30 Jun 2025 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores a missing or unreadable header", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("RequestBudget", () => {
  it("allows `limit` requests in any sliding window", () => {
    let now = 0;
    const budget = new RequestBudget(2, 1_000, () => now);
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([true, true, false]);
    expect(budget.remaining()).toBe(0);
    now = 999;
    expect(budget.tryTake()).toBe(false);
    now = 1_000;
    expect(budget.remaining()).toBe(2);
    expect(budget.tryTake()).toBe(true);
  });
});
