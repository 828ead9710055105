import { ASSET_SYMBOL, IDENTIFIER } from "@bourse/common/identifiers";
import { DecimalError, parseDecimal } from "@bourse/common/money";
import { LedgerError } from "./ledger-error.js";

export function checkAsset(asset: string): void {
  if (!ASSET_SYMBOL.test(asset)) {
    throw new LedgerError("invalid_argument", "asset must be 1 to 15 of [A-Z0-9]");
  }
}

export function checkIdentifier(what: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new LedgerError("invalid_argument", `${what} must be 1 to 128 of [A-Za-z0-9_.:-]`);
  }
}

/** Largest precision an asset may have (Asset.precision in the inventory contract). */
export const MAX_ASSET_SCALE = 18;

/**
 * Amount limits, in whole units, the same for every asset; stored, they are `whole × 10^scale` units.
 * - 10^15 whole units per balance exceed the whole supply of any listed asset (SHIB, the largest, has
 *   about 5.9 × 10^14), and 10^12 per deposit or withdrawal is a thousandth of that.
 * - At the largest scale (18) a full balance is 10^33 units, a factor of 10^5 below the 38 significant
 *   digits of a DynamoDB number: the accounts that trades credit (the fee account, a market maker) can
 *   gather nearly 100,000 full balances before a stored number reaches the limit. Sums over accounts and
 *   a settlement's products are bigints in memory, never stored.
 */
export const MAX_FUNDING_WHOLE_UNITS = 10n ** 12n;
export const MAX_BALANCE_WHOLE_UNITS = 10n ** 15n;
/** The largest integer a DynamoDB number holds exactly: 38 significant digits. */
export const MAX_STORED_UNITS = 10n ** 38n - 1n;

const inUnits = (whole: bigint, scale: number) => whole * 10n ** BigInt(scale);

export function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_ASSET_SCALE) {
    throw new LedgerError("inconsistent_state", `asset precision ${scale} is out of range`);
  }
}

/** A deposit or withdrawal moves at most MAX_FUNDING_WHOLE_UNITS; beyond is a malformed request. */
export function checkFundingAmount(amount: bigint, scale: number): void {
  if (amount > inUnits(MAX_FUNDING_WHOLE_UNITS, scale)) {
    throw new LedgerError("invalid_argument", `amount must be at most ${MAX_FUNDING_WHOLE_UNITS}`);
  }
}

/** A deposit may not take a balance (available + held) beyond MAX_BALANCE_WHOLE_UNITS. */
export function checkBalanceLimit(asset: string, total: bigint, scale: number): void {
  if (total > inUnits(MAX_BALANCE_WHOLE_UNITS, scale)) {
    throw new LedgerError("balance_limit", `a ${asset} balance may hold at most ${MAX_BALANCE_WHOLE_UNITS}`);
  }
}

/** Whatever credited it, a balance must stay storable; refusing is better than a failed write. */
export function checkStorable(asset: string, units: bigint): void {
  if (units > MAX_STORED_UNITS) {
    throw new LedgerError("balance_limit", `a ${asset} balance would exceed what the store holds`);
  }
}

/** An amount in units of 10^-scale; refuses what is not a plain decimal, negative, or too precise. */
export function parseAmount(
  what: string,
  text: string,
  scale: number,
  options: { positive: boolean },
): bigint {
  let units: bigint;
  try {
    units = parseDecimal(text, scale);
  } catch (error) {
    if (error instanceof DecimalError) {
      throw new LedgerError("invalid_argument", `${what} must be a decimal with at most ${scale} decimals`);
    }
    throw error;
  }
  if (options.positive && units === 0n) throw new LedgerError("invalid_argument", `${what} must be positive`);
  return units;
}
