/** Why a decimal string was refused; stable codes callers can map to their own API errors. */
export type DecimalErrorCode =
  | "EMPTY"
  | "TOO_LONG"
  | "MALFORMED"
  | "NEGATIVE"
  | "TOO_MANY_DECIMALS"
  | "NOT_A_MULTIPLE"
  | "INVALID_SCALE"
  | "INVALID_STEP";

/** The one error type of the money module: a code plus the offending input. */
export class DecimalError extends Error {
  override readonly name = "DecimalError";

  constructor(
    readonly code: DecimalErrorCode,
    readonly input: string,
  ) {
    super(`${code}: ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}...` : input)}`);
  }
}
