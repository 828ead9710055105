import { invalidArgument } from "@bourse/common";
import {
  DecimalError,
  decimalScale,
  formatDecimal,
  formatSteps,
  parseDecimal,
  parseSteps,
} from "@bourse/common/money";
import { notionalToQuoteUnits, type TradingMarket } from "@bourse/trading";
import type { OrderRequest } from "./order-request.js";

/** An order request that obeys its market's rules, with its decimals in canonical form. */
export type OrderTerms = OrderRequest;

/**
 * `value` as a whole, positive number of the market's `step` (`stepName`: "tick size", "lot size"), or
 * `invalid_argument` saying which field is off and why.
 */
export function positiveSteps(field: string, value: string, step: string, stepName: string): bigint {
  let count: bigint;
  try {
    count = parseSteps(value, step);
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error;
    throw invalidArgument(
      error.code === "NOT_A_MULTIPLE"
        ? `${field} ${value} is not a multiple of the market's ${stepName} ${step}`
        : `${field} must be a positive decimal string, e.g. "0.015" (${error.message})`,
    );
  }
  if (count <= 0n) throw invalidArgument(`${field} must be positive`);
  // The matching engine counts ticks and lots in safe integers (exchange-core's longs).
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidArgument(
      `${field} ${value} is too large: at most ${Number.MAX_SAFE_INTEGER} × the ${stepName}`,
    );
  }
  return count;
}

/** `a < b` for two non-negative decimal strings, exactly. */
function decimalLess(a: string, b: string): boolean {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return parseDecimal(a, scale) < parseDecimal(b, scale);
}

/**
 * Checks the order against the market's tick size, lot size, minimum quantity and minimum notional, and
 * the type/time-in-force combinations, throwing `invalid_argument` with what is wrong. A market order's
 * notional is not known before it trades, so the minimum notional applies to limit orders and to the
 * quote amount of a market buy.
 */
export function checkOrderTerms(request: OrderRequest, market: TradingMarket): OrderTerms {
  const { type, side, timeInForce } = request;
  if (type === "market" && timeInForce === "GTC") {
    throw invalidArgument("a market order cannot be GTC: use IOC or FOK");
  }
  if (request.postOnly && !(type === "limit" && timeInForce === "GTC")) {
    throw invalidArgument("post_only is allowed only on a GTC limit order");
  }
  if (type === "limit" && request.price === "") throw invalidArgument("price is required for a limit order");
  if (type === "market" && request.price !== "")
    throw invalidArgument("price must be empty for a market order");
  if ((request.quantity === "") === (request.quoteAmount === "")) {
    throw invalidArgument("exactly one of quantity and quote_amount must be set");
  }
  if (request.quoteAmount !== "" && !(type === "market" && side === "buy")) {
    throw invalidArgument("quote_amount sizes market buys only; use quantity");
  }

  const ticks =
    type === "limit" ? positiveSteps("price", request.price, market.tickSize, "tick size") : undefined;
  let quantity = "";
  let lots: bigint | undefined;
  if (request.quantity !== "") {
    lots = positiveSteps("quantity", request.quantity, market.lotSize, "lot size");
    quantity = formatSteps(lots, market.lotSize);
    if (decimalLess(quantity, market.minQuantity)) {
      throw invalidArgument(
        `quantity ${quantity} is below the market's minimum quantity ${market.minQuantity}`,
      );
    }
  }
  let quoteAmount = "";
  if (request.quoteAmount !== "") {
    let units: bigint;
    try {
      units = parseDecimal(request.quoteAmount, market.quoteScale);
    } catch (error) {
      if (!(error instanceof DecimalError)) throw error;
      throw invalidArgument(
        `quote_amount must be a positive decimal string with at most ${market.quoteScale} decimals (${error.message})`,
      );
    }
    if (units <= 0n) throw invalidArgument("quote_amount must be positive");
    quoteAmount = formatDecimal(units, market.quoteScale, { trimZeros: true });
    if (decimalLess(quoteAmount, market.minNotional)) {
      throw invalidArgument(
        `quote_amount ${quoteAmount} is below the market's minimum notional ${market.minNotional}`,
      );
    }
  }
  if (ticks !== undefined && lots !== undefined) {
    const notional = formatDecimal(notionalToQuoteUnits(ticks * lots, market), market.quoteScale);
    if (decimalLess(notional, market.minNotional)) {
      throw invalidArgument(
        `price × quantity ${notional} is below the market's minimum notional ${market.minNotional}`,
      );
    }
  }
  return {
    ...request,
    price: ticks === undefined ? "" : formatSteps(ticks, market.tickSize),
    quantity,
    quoteAmount,
  };
}
