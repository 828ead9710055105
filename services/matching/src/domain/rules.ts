/**
 * A market's entry filters in engine units. Tick size and lot size are not here: prices and quantities
 * arrive as whole ticks and lots, and the conversion from decimal strings (`parseSteps` in the common
 * money module) is what refuses a price off the tick or a quantity off the lot.
 */
export interface EngineRules {
  /** Smallest order size in lots, at least 1. */
  readonly minQuantity: number;
  /** Smallest order value in notional units (1 tick x 1 lot); 0n for none. */
  readonly minNotional: bigint;
}

export function checkRules(rules: EngineRules): void {
  if (!Number.isSafeInteger(rules.minQuantity) || rules.minQuantity < 1) {
    throw new RangeError(`minQuantity must be a positive safe integer, got ${rules.minQuantity}`);
  }
  if (typeof rules.minNotional !== "bigint" || rules.minNotional < 0n) {
    throw new RangeError(`minNotional must be a non-negative bigint, got ${String(rules.minNotional)}`);
  }
}

export function isPositiveSafeInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/**
 * Exact `price * quantity < min` without allocating in the common case: a double product that is at most
 * MAX_SAFE_INTEGER is exact (every integer up to 2^53 is representable), and comparing a number with a
 * bigint compares mathematical values. Only a larger product falls back to bigint arithmetic.
 */
export function isBelowNotional(price: number, quantity: number, min: bigint): boolean {
  const product = price * quantity;
  if (product <= Number.MAX_SAFE_INTEGER) return product < min;
  return BigInt(price) * BigInt(quantity) < min;
}
