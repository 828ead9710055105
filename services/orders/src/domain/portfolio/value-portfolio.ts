import {
  add,
  compare,
  div,
  fromUnits,
  isPositive,
  isZero,
  mul,
  type Ratio,
  ratio,
  sub,
  ZERO,
} from "./ratio.js";
import { averageCost, type Position, putAtCost, takeAtAverage } from "./replay-history.js";

/** What the account owns of one asset now, in units of 10^-scale. */
export interface OwnedBalance {
  readonly asset: string;
  readonly scale: number;
  readonly available: bigint;
  readonly held: bigint;
}

/** One valued holding; `mark`, `value`, `unrealizedPnl` and `allocationPercent` are absent without a price. */
export interface ValuedHolding {
  readonly asset: string;
  readonly scale: number;
  readonly available: bigint;
  readonly held: bigint;
  readonly quantity: Ratio;
  readonly averageCost?: Ratio;
  readonly costBasis: Ratio;
  readonly realizedPnl: Ratio;
  readonly mark?: Ratio;
  readonly value?: Ratio;
  readonly unrealizedPnl?: Ratio;
  readonly allocationPercent?: Ratio;
}

export interface PortfolioTotals {
  readonly value: Ratio;
  readonly costBasis: Ratio;
  readonly unrealizedPnl: Ratio;
  readonly realizedPnl: Ratio;
}

export interface ValuedPortfolio {
  /** Largest value first, holdings without a price last; ties by asset symbol. */
  readonly holdings: readonly ValuedHolding[];
  readonly totals: PortfolioTotals;
}

const HUNDRED = ratio(100n);

/**
 * The replayed position brought to what the balance says is owned now. The history and the balances are
 * read one after the other, so a fill or a funding movement can be in one and not yet in the other; units
 * the history does not explain enter as a deposit would now (at the mark, or cost 0 without one), units
 * it has and the balance does not leave as a withdrawal (at average cost).
 */
function reconcile(position: Position, owned: Ratio, mark: Ratio | undefined): Position {
  const difference = compare(owned, position.quantity);
  if (difference > 0) {
    const extra = sub(owned, position.quantity);
    return putAtCost(position, extra, mark ? mul(mark, extra) : ZERO);
  }
  if (difference < 0) return takeAtAverage(position, sub(position.quantity, owned)).position;
  return position;
}

const bySymbol = (a: ValuedHolding, b: ValuedHolding): number =>
  a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0;

function byValue(a: ValuedHolding, b: ValuedHolding): number {
  if (a.value && b.value) return compare(b.value, a.value) || bySymbol(a, b);
  if (a.value || b.value) return a.value ? -1 : 1;
  return bySymbol(a, b);
}

/**
 * Values the positions at `marks` (USD per unit; USD itself must be marked 1 by the caller), keeping every
 * asset that is held or has realized P&L. Figures are exact; rounding is the output's business.
 */
export function valuePortfolio(
  positions: ReadonlyMap<string, Position>,
  balances: readonly OwnedBalance[],
  marks: ReadonlyMap<string, Ratio>,
): ValuedPortfolio {
  const owned = new Map(balances.map((balance) => [balance.asset, balance]));
  const assets = new Set([...owned.keys(), ...positions.keys()]);
  const holdings: Omit<ValuedHolding, "allocationPercent">[] = [];
  for (const asset of assets) {
    const balance = owned.get(asset) ?? { asset, scale: 0, available: 0n, held: 0n };
    const mark = marks.get(asset);
    const quantity = fromUnits(balance.available + balance.held, balance.scale);
    const replayed = positions.get(asset) ?? { asset, quantity: ZERO, costBasis: ZERO, realizedPnl: ZERO };
    const position = reconcile(replayed, quantity, mark);
    if (!isPositive(quantity) && isZero(position.realizedPnl)) continue;
    const value = mark && mul(mark, quantity);
    holdings.push({
      asset,
      scale: balance.scale,
      available: balance.available,
      held: balance.held,
      quantity,
      averageCost: averageCost(position),
      costBasis: position.costBasis,
      realizedPnl: position.realizedPnl,
      mark,
      value,
      unrealizedPnl: value && sub(value, position.costBasis),
    });
  }
  const sum = (pick: (holding: (typeof holdings)[number]) => Ratio | undefined) =>
    holdings.reduce((total, holding) => add(total, pick(holding) ?? ZERO), ZERO);
  const totals: PortfolioTotals = {
    value: sum((holding) => holding.value),
    costBasis: sum((holding) => holding.costBasis),
    unrealizedPnl: sum((holding) => holding.unrealizedPnl),
    realizedPnl: sum((holding) => holding.realizedPnl),
  };
  const allocated = holdings.map(
    (holding): ValuedHolding => ({
      ...holding,
      allocationPercent:
        holding.value && (isZero(totals.value) ? ZERO : mul(div(holding.value, totals.value), HUNDRED)),
    }),
  );
  return { holdings: allocated.sort(byValue), totals };
}
