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
 * scheduled time to its completion, so time spent queued behind a slow operation counts (no coordinated
 * omission). Latencies are in nanoseconds.
 */
export function latencyAtRate(count: number, perSecond: number, run: (index: number) => unknown): Latency {
  const interval = 1e9 / perSecond;
  const samples = new Float64Array(count);
  let late = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const scheduled = i * interval;
    let now = Number(process.hrtime.bigint() - start);
    if (now > scheduled) late++;
    while (now < scheduled) now = Number(process.hrtime.bigint() - start);
    run(i);
    samples[i] = Number(process.hrtime.bigint() - start) - scheduled;
  }
  samples.sort();
  const at = (quantile: number) => samples[Math.min(count - 1, Math.floor(quantile * count))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: samples[count - 1] ?? 0, late: late / count };
}
