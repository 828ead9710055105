import { describe, expect, it } from "vitest";
import { SimulatedFeed } from "./simulated-feed.js";

const options = { seed: "test", stepMs: 1_000, walk: { stepPpm: 2_000, reversion: 200 } };
const anchor = { price: "64250.12", asOf: 0 };

describe("SimulatedFeed", () => {
  it("starts at the anchor, steps with the clock and stamps each price with its step time", () => {
    const feed = new SimulatedFeed(options);
    expect(feed.priceAt("BTC", anchor, 10_000)).toEqual({ price: "64250.12", asOf: 10_000 });
    expect(feed.priceAt("BTC", anchor, 10_999)).toEqual({ price: "64250.12", asOf: 10_000 });
    const moved = feed.priceAt("BTC", anchor, 13_500);
    expect(moved.asOf).toBe(13_000);
    expect(moved.price).not.toBe("64250.12");
  });

  it("is reproducible: the same seed gives the same walk whatever the call pattern", () => {
    const a = new SimulatedFeed(options);
    const b = new SimulatedFeed(options);
    a.priceAt("BTC", anchor, 0);
    b.priceAt("BTC", anchor, 0);
    for (let second = 1; second <= 10; second++) a.priceAt("BTC", anchor, second * 1_000);
    expect(b.priceAt("BTC", anchor, 10_000)).toEqual(a.priceAt("BTC", anchor, 10_000));
    const other = new SimulatedFeed({ ...options, seed: "other" });
    other.priceAt("BTC", anchor, 0);
    expect(other.priceAt("BTC", anchor, 10_000)).not.toEqual(a.priceAt("BTC", anchor, 10_000));
  });

  it("walks each asset on its own, and restarts from a new anchor", () => {
    const feed = new SimulatedFeed(options);
    feed.priceAt("BTC", anchor, 0);
    feed.priceAt("ETH", { price: "2486.31", asOf: 0 }, 0);
    expect(feed.priceAt("ETH", { price: "2486.31", asOf: 0 }, 5_000).price).not.toBe(
      feed.priceAt("BTC", anchor, 5_000).price,
    );
    expect(feed.priceAt("BTC", { price: "70000", asOf: 4_000 }, 6_000)).toEqual({
      price: "70000",
      asOf: 6_000,
    });
  });

  it("catches up a long idle spell in bounded work", () => {
    const feed = new SimulatedFeed(options);
    feed.priceAt("BTC", anchor, 0);
    const later = feed.priceAt("BTC", anchor, 30 * 86_400_000);
    expect(later.asOf).toBe(30 * 86_400_000);
  });
});
