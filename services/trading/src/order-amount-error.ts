/**
 * Why a price or quantity cannot be turned into engine units. The first two are the order reject reasons of
 * the same name; `MALFORMED` is a string that is not a plain non-negative decimal, `TOO_LARGE` a count of
 * ticks or lots beyond what the engine holds exactly (Number.MAX_SAFE_INTEGER).
 */
export type OrderAmountErrorCode = "MALFORMED" | "PRICE_NOT_ON_TICK" | "QUANTITY_NOT_ON_LOT" | "TOO_LARGE";

export class OrderAmountError extends Error {
  override readonly name = "OrderAmountError";

  constructor(
    readonly code: OrderAmountErrorCode,
    readonly value: string,
    options?: ErrorOptions,
  ) {
    super(`${code}: ${JSON.stringify(value)}`, options);
  }
}
