import { compareValues, valuesEqual } from "../compare.js";
import type { ComparisonOperator, Condition } from "../condition.js";
import type { Item, Value } from "../model.js";

function compare(op: ComparisonOperator, actual: Value | undefined, expected: Value): boolean {
  if (op === "=") return valuesEqual(actual, expected);
  if (op === "<>") return !valuesEqual(actual, expected);
  const order = compareValues(actual, expected);
  if (order === undefined) return false;
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

/** Evaluates a (normalized) condition against an item, or against nothing when the item is missing. */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case "exists":
      return item?.[condition.name] !== undefined;
    case "notExists":
      return item?.[condition.name] === undefined;
    case "compare":
      return compare(condition.op, item?.[condition.name], condition.value);
    case "beginsWith": {
      const value = item?.[condition.name];
      return typeof value === "string" && value.startsWith(condition.prefix);
    }
    case "and":
      return condition.conditions.every((inner) => evaluateCondition(inner, item));
    case "or":
      return condition.conditions.some((inner) => evaluateCondition(inner, item));
    case "not":
      return !evaluateCondition(condition.condition, item);
  }
}
