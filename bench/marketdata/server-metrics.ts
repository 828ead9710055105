/** The samples of a Prometheus text exposition whose metric name starts with a prefix, keyed `name{labels}`. */
export type MetricSamples = ReadonlyMap<string, number>;

/** Reads a service's admin `/metrics` and keeps the samples of the metrics named `prefix…`. */
export async function readMetricSamples(adminUrl: string, prefix: string): Promise<MetricSamples> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/**
 * One line per sample: counters (`…_total`) as their change between the two readings, anything else
 * (gauges) as its value at the second.
 */
export function metricLines(before: MetricSamples, after: MetricSamples, indent = "    "): string[] {
  return [...after].map(([key, value]) => {
    const counter = key.split("{")[0]?.endsWith("_total") ?? false;
    const shown = counter ? `+${value - (before.get(key) ?? 0)}` : String(value);
    return `${indent}${key} ${shown}`;
  });
}
