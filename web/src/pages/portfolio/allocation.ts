import type { Holding } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";

/** One slice of the allocation chart, in basis points (hundredths of a percent) so geometry stays integral. */
export interface AllocationSlice {
  readonly label: string;
  readonly basisPoints: number;
}

const PERCENT_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/** "61.63" → 6163. The server rounds allocation_percent to 2 fraction digits; anything else is refused. */
export function percentToBasisPoints(percent: string): number | undefined {
  const match = PERCENT_PATTERN.exec(percent);
  if (match === null) return undefined;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return Number(whole) * 100 + Number(fraction);
}

/** 6163 → "61.63", the inverse of {@link percentToBasisPoints} for the "Other" slice the chart adds up. */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100).padStart(2, "0");
  return `${whole}.${fraction}`;
}

/**
 * The chart's slices: holdings with a price and a non-zero share, largest first as the server orders them. Past
 * `maxSlices`, the smallest are summed into one "Other" slice so the chart stays legible. Holdings without a
 * price have no share to draw; the holdings table still lists them.
 */
export function allocationSlices(holdings: readonly Holding[], maxSlices = 6): AllocationSlice[] {
  const slices: AllocationSlice[] = [];
  for (const holding of holdings) {
    const basisPoints = percentToBasisPoints(holding.allocationPercent);
    if (basisPoints !== undefined && basisPoints > 0) slices.push({ label: holding.asset, basisPoints });
  }
  if (slices.length <= maxSlices) return slices;
  const kept = slices.slice(0, maxSlices - 1);
  const rest = slices.slice(maxSlices - 1).reduce((sum, slice) => sum + slice.basisPoints, 0);
  return [...kept, { label: "Other", basisPoints: rest }];
}
