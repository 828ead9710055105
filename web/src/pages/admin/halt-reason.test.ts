import { describe, expect, it } from "vitest";
import { haltReasonProblem } from "./halt-reason.ts";

describe("haltReasonProblem", () => {
  it("requires a reason", () => {
    expect(haltReasonProblem("   ")).toMatch(/reason/);
  });

  it("accepts up to 200 characters, counted as characters rather than UTF-16 units", () => {
    expect(haltReasonProblem("Exchange maintenance")).toBeUndefined();
    expect(haltReasonProblem("🛠".repeat(200))).toBeUndefined();
    expect(haltReasonProblem("x".repeat(201))).toMatch(/200/);
  });
});
