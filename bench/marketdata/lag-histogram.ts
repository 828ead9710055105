/** Lags are kept in buckets of this width: finer than any figure the bench prints. */
const BUCKET_MS = 0.1;
/** Longer lags share the last bucket (the maximum is kept apart, exactly). */
const LONGEST_MS = 60_000;

/** Delivery lags of many messages, in fixed memory: a count per 0.1 ms up to a minute. */
export class LagHistogram {
  private readonly buckets = new Uint32Array(Math.ceil(LONGEST_MS / BUCKET_MS) + 1);
  count = 0;
  maxMs = 0;

  record(lagMs: number): void {
    const bucket = Math.min(this.buckets.length - 1, Math.max(0, Math.round(lagMs / BUCKET_MS)));
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    this.count++;
    if (lagMs > this.maxMs) this.maxMs = lagMs;
  }

  /** The lag below which `quantile` of the recorded lags fall, in milliseconds; 0 when none. */
  percentile(quantile: number): number {
    if (this.count === 0) return 0;
    const rank = Math.min(this.count - 1, Math.floor(this.count * quantile));
    let seen = 0;
    for (let bucket = 0; bucket < this.buckets.length; bucket++) {
      seen += this.buckets[bucket] ?? 0;
      if (seen > rank) return bucket * BUCKET_MS;
    }
    return this.maxMs;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}
