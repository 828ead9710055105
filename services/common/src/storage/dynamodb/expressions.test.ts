import { describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import { Expressions } from "./expressions.js";

describe("Expressions", () => {
  it("compiles updates and conditions with shared name placeholders and fresh value placeholders", () => {
    const expressions = new Expressions();
    const update = expressions.update({
      set: { status: "OPEN" },
      setIfNotExists: { createdAt: "t" },
      add: { available: -5n },
      remove: ["note"],
    });
    const condition = expressions.condition(
      cond.and(
        cond.gte("available", 5n),
        cond.or(cond.notExists("note"), cond.not(cond.beginsWith("status", "X"))),
      ),
    );
    expect(update).toBe("SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) ADD #n2 :v2 REMOVE #n3");
    expect(condition).toBe("(#n2 >= :v3) AND ((attribute_not_exists(#n3)) OR (NOT (begins_with(#n0, :v4))))");
    expect(expressions.attributes()).toEqual({
      ExpressionAttributeNames: { "#n0": "status", "#n1": "createdAt", "#n2": "available", "#n3": "note" },
      ExpressionAttributeValues: { ":v0": "OPEN", ":v1": "t", ":v2": -5n, ":v3": 5n, ":v4": "X" },
    });
  });

  it("compiles key conditions on the table and on an index", () => {
    const table = new Expressions();
    expect(table.keyCondition(undefined, "USER#1", { between: ["A", "B"] })).toBe(
      "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2",
    );
    expect(table.attributes().ExpressionAttributeNames).toEqual({ "#n0": "PK", "#n1": "SK" });
    const index = new Expressions();
    expect(index.keyCondition("GSI2", "MARKET#BTC-USD", { beginsWith: "2024" })).toBe(
      "#n0 = :v0 AND begins_with(#n1, :v1)",
    );
    expect(index.attributes().ExpressionAttributeNames).toEqual({ "#n0": "GSI2PK", "#n1": "GSI2SK" });
  });

  it("leaves out empty placeholder maps", () => {
    expect(new Expressions().attributes()).toEqual({});
  });
});
