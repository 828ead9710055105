import type { Value } from "./model.js";

/** A value that can be ordered: strings by UTF-8 bytes, numbers numerically, binary by bytes. */
export type Comparable = string | number | bigint | Uint8Array;

export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

/**
 * A condition on one item's top-level attributes. The in-memory engine evaluates it directly and the
 * DynamoDB adapter compiles it to a condition expression. A comparison whose operand types differ is
 * false (so `<>` is true), and a missing attribute compares like a value of another type.
 */
export type Condition =
  | { readonly kind: "exists"; readonly name: string }
  | { readonly kind: "notExists"; readonly name: string }
  | {
      readonly kind: "compare";
      readonly name: string;
      readonly op: ComparisonOperator;
      readonly value: Value;
    }
  | { readonly kind: "beginsWith"; readonly name: string; readonly prefix: string }
  | { readonly kind: "and"; readonly conditions: readonly Condition[] }
  | { readonly kind: "or"; readonly conditions: readonly Condition[] }
  | { readonly kind: "not"; readonly condition: Condition };

type AtLeastOne = readonly [Condition, ...Condition[]];

const compare = (name: string, op: ComparisonOperator, value: Value): Condition => ({
  kind: "compare",
  name,
  op,
  value,
});

/** Builders for conditions: `cond.and(cond.exists("PK"), cond.gte("available", 5n))`. */
export const cond = {
  exists: (name: string): Condition => ({ kind: "exists", name }),
  notExists: (name: string): Condition => ({ kind: "notExists", name }),
  eq: (name: string, value: Value): Condition => compare(name, "=", value),
  ne: (name: string, value: Value): Condition => compare(name, "<>", value),
  lt: (name: string, value: Comparable): Condition => compare(name, "<", value),
  lte: (name: string, value: Comparable): Condition => compare(name, "<=", value),
  gt: (name: string, value: Comparable): Condition => compare(name, ">", value),
  gte: (name: string, value: Comparable): Condition => compare(name, ">=", value),
  beginsWith: (name: string, prefix: string): Condition => ({ kind: "beginsWith", name, prefix }),
  and: (...conditions: AtLeastOne): Condition => ({ kind: "and", conditions }),
  or: (...conditions: AtLeastOne): Condition => ({ kind: "or", conditions }),
  not: (condition: Condition): Condition => ({ kind: "not", condition }),
};
