import { decimalScale, formatSteps, parseDecimal, parseSteps } from "@bourse/common/money";

/**
 * The limit at which a market buy sized in base quantity runs: the best ask raised by `protection` (a
 * decimal fraction, "0.10" for 10%), rounded up to the tick, so that the order cannot sweep the book at any
 * price and its hold is known before it trades (docs/order-flow.md).
 */
export function protectionPrice(bestAsk: string, protection: string, tickSize: string): string {
  const askTicks = parseSteps(bestAsk, tickSize);
  const scale = decimalScale(protection);
  const denominator = 10n ** BigInt(scale);
  const raised = askTicks * (denominator + parseDecimal(protection, scale));
  const ticks = (raised + denominator - 1n) / denominator;
  return formatSteps(ticks, tickSize);
}
