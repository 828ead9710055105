export type { FormatDecimalOptions, ParseDecimalOptions } from "./decimal.js";
export { decimalScale, formatDecimal, MAX_DECIMAL_LENGTH, MAX_SCALE, parseDecimal } from "./decimal.js";
export type { DecimalErrorCode } from "./decimal-error.js";
export { DecimalError } from "./decimal-error.js";
export type { ParseStepsOptions, StepRounding } from "./steps.js";
export { formatSteps, parseSteps } from "./steps.js";
