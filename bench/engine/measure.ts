/** Runs `count` operations back to back; returns operations per second. */
export function throughput(count: number, run: (index: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  /** Share of operations that started behind schedule. */
  readonly late: number;
}

/**
 * Offers operations at a fixed rate, busy-waiting for each scheduled time, and measures each one from its
 * scheduled time to its completion with `process.hrtime.bigint`, so time spent queued behind a slow
 * operation counts (no coordinated omission). Each completion stamp doubles as "now" for the next wait,
 * and the wait itself spins on `performance.now()` for that short remaining interval: it allocates
 * nothing, whereas spinning on bigints would itself trigger the GC pauses being measured. (Only
 * intervals are taken from `performance.now()`: its clock drifts from hrtime by about 0.1%.)
 * Latencies are in nanoseconds.
 */
export function latencyAtRate(count: number, perSecond: number, run: (index: number) => unknown): Latency {
  const interval = 1e9 / perSecond;
  const samples = new Float64Array(count);
  let late = 0;
  const start = process.hrtime.bigint();
  let now = 0;
  for (let i = 0; i < count; i++) {
    const scheduled = i * interval;
    if (now > scheduled) {
      late++;
    } else {
      const until = performance.now() + (scheduled - now) / 1e6;
      while (performance.now() < until) {
        // Busy-wait: sleeping would add the scheduler's wake-up delay to every measurement.
      }
    }
    run(i);
    now = Number(process.hrtime.bigint() - start);
    samples[i] = now - scheduled;
  }
  samples.sort();
  const at = (quantile: number) => samples[Math.min(count - 1, Math.floor(quantile * count))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: samples[count - 1] ?? 0, late: late / count };
}
