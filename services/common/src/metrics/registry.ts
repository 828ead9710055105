import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Latency buckets in seconds, from sub-millisecond in-process calls to slow cross-service ones. */
const rpcDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** RED metrics for RPCs, on both sides of a call. */
export interface RpcMetrics {
  serverRequests: Counter<"service" | "method" | "code">;
  serverDuration: Histogram<"service" | "method" | "code">;
  clientRequests: Counter<"service" | "method" | "code">;
  clientDuration: Histogram<"service" | "method" | "code">;
}

export interface ServiceMetrics {
  registry: Registry;
  rpc: RpcMetrics;
}

/** A registry per service, holding prom-client's default process metrics and the RPC RED metrics. */
export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["service", "method", "code"] as const;
  return {
    registry,
    rpc: {
      serverRequests: new Counter({
        name: "rpc_server_requests_total",
        help: "RPCs handled, by service, method and Connect code",
        labelNames,
        registers: [registry],
      }),
      serverDuration: new Histogram({
        name: "rpc_server_duration_seconds",
        help: "Time to handle an RPC, until the last response message for streams",
        labelNames,
        buckets: rpcDurationBuckets,
        registers: [registry],
      }),
      clientRequests: new Counter({
        name: "rpc_client_requests_total",
        help: "Outgoing RPCs, by service, method and Connect code",
        labelNames,
        registers: [registry],
      }),
      clientDuration: new Histogram({
        name: "rpc_client_duration_seconds",
        help: "Time of outgoing RPCs as seen by the caller",
        labelNames,
        buckets: rpcDurationBuckets,
        registers: [registry],
      }),
    },
  };
}
