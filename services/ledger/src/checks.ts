import { DecimalError, parseDecimal } from "@bourse/common/money";
import { LedgerError } from "./ledger-error.js";

const ASSET = /^[A-Z0-9]{1,15}$/;
/** Ids and references: no whitespace or control characters, nothing that needs escaping in a key. */
const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;

export function checkAsset(asset: string): void {
  if (!ASSET.test(asset)) throw new LedgerError("invalid_argument", "asset must be 1 to 15 of [A-Z0-9]");
}

export function checkIdentifier(what: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new LedgerError("invalid_argument", `${what} must be 1 to 128 of [A-Za-z0-9_.:-]`);
  }
}

/** Largest precision an asset may have (Asset.precision in the inventory contract). */
const MAX_ASSET_SCALE = 18;

export function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_ASSET_SCALE) {
    throw new LedgerError("inconsistent_state", `asset precision ${scale} is out of range`);
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
