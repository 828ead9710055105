import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/** Parameters of the simulated walk, in parts per million of the price. */
export interface WalkParameters {
  /** Largest random move per step, either way. */
  readonly stepPpm: number;
  /** Each step takes back 1/reversion of the distance from the anchor, so the walk stays around it. */
  readonly reversion: number;
}

const PPM = 1_000_000n;
/** Least internal scale of walk prices: ample for sub-cent tokens, trimmed to significant digits for display. */
const SCALE = 18;
const MIN_SIGNIFICANT_DIGITS = 6;

function significantDigits(price: string): number {
  return price.replace(".", "").replace(/^0+/, "").length;
}

/** Rounds units at SCALE half-up to `digits` significant digits. */
function roundSignificant(units: bigint, digits: number): bigint {
  const length = units.toString().length;
  if (length <= digits) return units;
  const factor = 10n ** BigInt(length - digits);
  return ((units + factor / 2n) / factor) * factor;
}

/**
 * A seeded random walk around an anchor price, in exact integer arithmetic: each step moves the price by a
 * uniform random amount of at most `stepPpm`, pulls it back toward the anchor, and keeps it within half and
 * twice the anchor. The same seed and anchor give the same sequence of prices.
 */
export class RandomWalk {
  private readonly rng: RandomGenerator;
  private readonly anchor: bigint;
  private readonly scale: number;
  private readonly digits: number;
  private current: bigint;
  private steps = 0;

  constructor(
    anchorPrice: string,
    seed: number,
    private readonly parameters: WalkParameters,
  ) {
    this.rng = xoroshiro128plus(seed);
    this.scale = Math.max(SCALE, decimalScale(anchorPrice));
    this.anchor = parseDecimal(anchorPrice, this.scale);
    this.current = this.anchor;
    this.digits = Math.max(MIN_SIGNIFICANT_DIGITS, significantDigits(anchorPrice));
  }

  /** How many steps have been taken. */
  get position(): number {
    return this.steps;
  }

  /** Takes one step. */
  step(): void {
    const shock = BigInt(uniformInt(this.rng, -this.parameters.stepPpm, this.parameters.stepPpm));
    const deviationPpm = ((this.current - this.anchor) * PPM) / this.anchor;
    const pull = -deviationPpm / BigInt(this.parameters.reversion);
    const next = (this.current * (PPM + shock + pull)) / PPM;
    const low = this.anchor / 2n;
    const high = this.anchor * 2n;
    this.current = next < low ? low : next > high ? high : next;
    this.steps++;
  }

  /** The current price, a plain decimal string rounded to the anchor's significant digits (at least 6). */
  price(): string {
    const rounded = roundSignificant(this.current, this.digits);
    return formatDecimal(rounded > 0n ? rounded : 1n, this.scale, { trimZeros: true });
  }
}
