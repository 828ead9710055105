import { createHash } from "node:crypto";
import type { Anchor } from "../domain/price-resolution.js";
import { RandomWalk, type WalkParameters } from "../domain/random-walk.js";

export interface SimulatedFeedOptions {
  /** Same seed, same walks: demos and tests are reproducible. */
  readonly seed: string;
  /** One step of every walk per this many milliseconds. */
  readonly stepMs: number;
  readonly walk: WalkParameters;
}

/** After a long idle spell a walk takes at most this many steps at once, then carries on from there. */
const MAX_CATCH_UP_STEPS = 1_000;

interface WalkState {
  readonly anchorKey: string;
  readonly walk: RandomWalk;
  startedAt: number;
}

/**
 * Synthetic prices for when neither CoinGecko nor a young-enough snapshot is available: one seeded random walk
 * per asset, started from its last real price and advanced with the clock. A new anchor (a real price seen
 * again) starts a new walk from it. Every price it gives is flagged `simulated` by the caller.
 */
export class SimulatedFeed {
  private readonly walks = new Map<string, WalkState>();

  constructor(private readonly options: SimulatedFeedOptions) {}

  priceAt(asset: string, anchor: Anchor, now: number): { price: string; asOf: number } {
    const state = this.walkFor(asset, anchor, now);
    const { walk } = state;
    const target = Math.floor((now - state.startedAt) / this.options.stepMs);
    const behind = target - walk.position;
    for (let step = 0; step < Math.min(behind, MAX_CATCH_UP_STEPS); step++) walk.step();
    if (behind > MAX_CATCH_UP_STEPS) state.startedAt = now - walk.position * this.options.stepMs;
    return { price: walk.price(), asOf: state.startedAt + walk.position * this.options.stepMs };
  }

  private walkFor(asset: string, anchor: Anchor, now: number): WalkState {
    const anchorKey = `${anchor.price}@${anchor.asOf}`;
    const existing = this.walks.get(asset);
    if (existing?.anchorKey === anchorKey) return existing;
    const digest = createHash("sha256").update(`${this.options.seed}/${asset}/${anchorKey}`).digest();
    const state = {
      anchorKey,
      walk: new RandomWalk(anchor.price, digest.readInt32BE(0), this.options.walk),
      startedAt: now,
    };
    this.walks.set(asset, state);
    return state;
  }
}
