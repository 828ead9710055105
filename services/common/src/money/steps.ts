import { decimalScale, formatDecimal, parseDecimal } from "./decimal.js";
import { DecimalError } from "./decimal-error.js";

/** `"exact"` refuses a value that is not a whole number of steps; `"down"` truncates to one (a budget). */
export type StepRounding = "exact" | "down";

export interface ParseStepsOptions {
  readonly rounding?: StepRounding;
}

interface Step {
  readonly scale: number;
  readonly units: bigint;
}

function parseStep(step: string): Step {
  let scale: number;
  let units: bigint;
  try {
    scale = decimalScale(step);
    units = parseDecimal(step, scale);
  } catch {
    throw new DecimalError("INVALID_STEP", step);
  }
  if (units <= 0n) throw new DecimalError("INVALID_STEP", step);
  return { scale, units };
}

/**
 * Counts how many `step`s make up a non-negative decimal string: with a tick size of "0.05",
 * `parseSteps("100.15", "0.05")` is `2003n`. This is how prices become ticks, quantities become lots,
 * and quote amounts become notional units (1 tick x 1 lot). Throws {@link DecimalError}, with
 * `NOT_A_MULTIPLE` when the value falls between two steps and rounding is `"exact"`.
 */
export function parseSteps(text: string, step: string, options: ParseStepsOptions = {}): bigint {
  const { scale: stepScale, units: stepUnits } = parseStep(step);
  const scale = Math.max(decimalScale(text), stepScale);
  const units = parseDecimal(text, scale);
  const stepAtScale = stepUnits * 10n ** BigInt(scale - stepScale);
  if (options.rounding !== "down" && units % stepAtScale !== 0n) {
    throw new DecimalError("NOT_A_MULTIPLE", text);
  }
  return units / stepAtScale;
}

/** The inverse of {@link parseSteps}: `formatSteps(2003n, "0.05")` is `"100.15"`. */
export function formatSteps(count: bigint, step: string): string {
  const { scale, units } = parseStep(step);
  return formatDecimal(count * units, scale);
}
