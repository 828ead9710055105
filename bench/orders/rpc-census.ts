import type { ServiceEndpoint } from "./exchange.js";

/** Calls and their summed duration per `<service> <side> <rpc service>/<method>`, from /metrics. */
export type RpcCounts = Map<string, { calls: number; seconds: number }>;

const sample = /^rpc_(server|client)_duration_seconds_(count|sum)\{([^}]*)\} (\S+)$/;
const labelsOf = (text: string) =>
  Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));

/**
 * Reads every service's RPC metrics (its admin `/metrics`): which calls each one served and made.
 * In-process hops between colocated services never show here; RPCs over the network do.
 */
export async function readRpcCounts(services: readonly ServiceEndpoint[]): Promise<RpcCounts> {
  const counts: RpcCounts = new Map();
  for (const service of services) {
    const text = await (await fetch(`${service.admin}/metrics`)).text();
    for (const line of text.split("\n")) {
      const match = sample.exec(line);
      if (!match) continue;
      const [, side, field, labelText = "", value] = match;
      const labels = labelsOf(labelText);
      if (labels.service === "grpc.health.v1.Health") continue;
      const key = `${service.name.padEnd(10)} ${side === "server" ? "served" : "called"} ${labels.service}/${labels.method}`;
      const entry = counts.get(key) ?? { calls: 0, seconds: 0 };
      if (field === "count") entry.calls += Number(value);
      else entry.seconds += Number(value);
      counts.set(key, entry);
    }
  }
  return counts;
}

/** What happened between two readings, per placed order: calls each and mean duration. */
export function rpcCensusLines(before: RpcCounts, after: RpcCounts, placed: number): string[] {
  const lines: string[] = [];
  for (const [key, now] of after) {
    const then = before.get(key) ?? { calls: 0, seconds: 0 };
    const calls = now.calls - then.calls;
    if (calls <= 0) continue;
    const meanMs = ((now.seconds - then.seconds) / calls) * 1000;
    const perOrder = placed > 0 ? (calls / placed).toFixed(2) : "-";
    lines.push(`    ${perOrder.padStart(6)} per order  mean ${meanMs.toFixed(2).padStart(7)} ms  ${key}`);
  }
  return lines.sort().reverse();
}
