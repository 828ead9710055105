import type { PlaceCommand } from "./commands.js";
import type { RejectReason } from "./events.js";
import { type EngineRules, isBelowNotional, isPositiveSafeInteger } from "./rules.js";

function isId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isWellFormed(cmd: PlaceCommand): boolean {
  const { side, orderType, timeInForce, stp } = cmd;
  const quoteAmount = cmd.quoteAmount ?? 0n;
  if (!isId(cmd.orderId) || !isId(cmd.accountId)) return false;
  if (side !== "buy" && side !== "sell") return false;
  if (orderType !== "limit" && orderType !== "market") return false;
  if (timeInForce !== "GTC" && timeInForce !== "IOC" && timeInForce !== "FOK") return false;
  if (stp !== undefined && stp !== "EXPIRE_TAKER" && stp !== "EXPIRE_MAKER" && stp !== "EXPIRE_BOTH")
    return false;
  if (orderType === "market" && timeInForce === "GTC") return false;
  if (cmd.postOnly && (orderType !== "limit" || timeInForce !== "GTC")) return false;
  if (typeof quoteAmount !== "bigint") return false;
  // Quote sizing is for market buys only, and FOK would need a budget that divides exactly into lots.
  if (quoteAmount !== 0n) {
    return orderType === "market" && side === "buy" && timeInForce === "IOC" && cmd.quantity === 0;
  }
  return true;
}

/**
 * The checks of a place command that need no book state, in the order they are applied; the engine then
 * checks for a duplicate id, a post-only order that would take, and level overflow.
 */
export function checkPlace(cmd: PlaceCommand, rules: EngineRules): RejectReason | null {
  if (!isWellFormed(cmd)) return "INVALID_ORDER";
  const quoteAmount = cmd.quoteAmount ?? 0n;
  if (quoteAmount !== 0n) {
    if (quoteAmount < 0n) return "INVALID_QUANTITY";
    return quoteAmount < rules.minNotional ? "BELOW_MIN_NOTIONAL" : null;
  }
  if (!isPositiveSafeInteger(cmd.quantity)) return "INVALID_QUANTITY";
  const isLimit = cmd.orderType === "limit";
  if (isLimit && !isPositiveSafeInteger(cmd.price)) return "INVALID_PRICE";
  if (cmd.quantity < rules.minQuantity) return "BELOW_MIN_QUANTITY";
  // A base-sized market order has no price to value it at; only its size is filtered.
  if (isLimit && isBelowNotional(cmd.price, cmd.quantity, rules.minNotional)) return "BELOW_MIN_NOTIONAL";
  return null;
}
