import { compareDecimals } from "../../lib/decimal.ts";
import { groupThousands } from "../../lib/display-decimal.ts";

export type FundingAmountResult =
  | { readonly ok: true; readonly amount: string }
  | { readonly ok: false; readonly message: string };

const AMOUNT_PATTERN = /^([0-9]*)(?:\.([0-9]*))?$/;

/**
 * Checks an amount typed into the funding form as the server will, and writes it the way the server reads
 * decimals ("007.50" → "7.50", ".5" → "0.5"): a positive number with at most the asset's precision in fraction
 * digits, and for a withdrawal no more than the available balance. The server checks again; this only spares a
 * round trip and says what is wrong next to the field.
 */
export function parseFundingAmount(
  input: string,
  precision: number,
  available?: string,
): FundingAmountResult {
  const text = input.trim();
  if (text === "") return { ok: false, message: "Enter an amount." };
  const match = AMOUNT_PATTERN.exec(text);
  const integerDigits = match?.[1] ?? "";
  const fractionDigits = match?.[2];
  if (match === null || (integerDigits === "" && (fractionDigits ?? "") === "")) {
    return { ok: false, message: "Enter a number, like 100 or 0.5." };
  }
  if (fractionDigits !== undefined && fractionDigits.length > precision) {
    return {
      ok: false,
      message:
        precision === 0
          ? "This asset moves in whole units only."
          : `This asset allows at most ${precision} decimal places.`,
    };
  }
  const integer = integerDigits.replace(/^0+(?=[0-9])/, "") || "0";
  const amount = fractionDigits ? `${integer}.${fractionDigits}` : integer;
  if (/^[0.]+$/.test(amount)) return { ok: false, message: "Enter an amount greater than zero." };
  if (available !== undefined && compareDecimals(amount, available) > 0) {
    return {
      ok: false,
      message:
        compareDecimals(available, "0") === 0
          ? "You have none of this asset available."
          : `That is more than your available balance of ${groupThousands(available)}.`,
    };
  }
  return { ok: true, amount };
}
