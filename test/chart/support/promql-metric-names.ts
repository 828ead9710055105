/**
 * Functions, aggregations and keywords of PromQL that a query may name; any other bare identifier
 * in a query is a metric name.
 */
const promqlWords = new Set([
  "abs",
  "and",
  "avg",
  "avg_over_time",
  "bool",
  "ceil",
  "changes",
  "clamp_max",
  "clamp_min",
  "count",
  "count_over_time",
  "delta",
  "deriv",
  "floor",
  "group_left",
  "group_right",
  "histogram_quantile",
  "idelta",
  "increase",
  "inf",
  "irate",
  "label_replace",
  "last_over_time",
  "max",
  "max_over_time",
  "min",
  "min_over_time",
  "nan",
  "offset",
  "or",
  "quantile",
  "rate",
  "resets",
  "round",
  "scalar",
  "sort",
  "sort_desc",
  "stddev",
  "sum",
  "sum_over_time",
  "time",
  "topk",
  "bottomk",
  "unless",
  "vector",
]);

/**
 * The metric names a PromQL expression (or a Grafana target, `$variables` included) reads. Label
 * matchers, range selectors, grouping clauses and strings are removed first, so that only function
 * names and metric names are left, and then the functions are dropped.
 */
export function metricNamesOf(expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\w+/g, " ");
  const names = new Set<string>();
  for (const [identifier] of bare.matchAll(/(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    if (!promqlWords.has(identifier.toLowerCase())) names.add(identifier);
  }
  return names;
}

/**
 * The sample names a Prometheus text exposition can hold, from its `# TYPE` lines: a counter or gauge
 * by its name, a histogram by its _bucket, _sum and _count series. Metrics with labels that nothing
 * has observed yet have no samples, but prom-client still writes their TYPE line.
 */
export function exportedSampleNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name = "", type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
    } else if (type === "summary") {
      for (const suffix of ["", "_sum", "_count"]) names.add(`${name}${suffix}`);
    } else {
      names.add(name);
    }
  }
  return names;
}
