import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { Logger } from "../logging/logger.js";
import type { RpcMetrics } from "../metrics/registry.js";
import { deadlineClientInterceptor } from "./interceptors/deadline.js";
import { failureLoggingClientInterceptor } from "./interceptors/failure-logging.js";
import { metricsClientInterceptor } from "./interceptors/metrics.js";
import { tracingClientInterceptor } from "./interceptors/tracing.js";

export interface ServiceClientOptions {
  /** h2c base URL of the target service, e.g. `http://users:50051`. */
  baseUrl: string;
  /** Name of the calling service, used as the tracer name. */
  caller: string;
  /** Where to count outgoing calls; omitted in scripts that have no metrics endpoint. */
  metrics?: RpcMetrics;
  /** Where failed calls are logged with their URL and cause; omitted in tests and scripts. */
  logger?: Logger;
  interceptors?: Interceptor[];
}

/**
 * A typed client for service-to-service calls over gRPC on h2c. Calls carry the active trace as
 * `traceparent`, inherit the deadline and cancellation of the call being handled, are counted in
 * `rpc_client_*` metrics, and are logged with their URL and cause when they fail.
 */
export function createServiceClient<S extends DescService>(
  service: S,
  options: ServiceClientOptions,
): Client<S> {
  const interceptors: Interceptor[] = [tracingClientInterceptor(options.caller)];
  if (options.metrics) interceptors.push(metricsClientInterceptor(options.metrics));
  if (options.logger) interceptors.push(failureLoggingClientInterceptor(options.logger));
  interceptors.push(deadlineClientInterceptor(), ...(options.interceptors ?? []));
  const transport = createGrpcTransport({ baseUrl: options.baseUrl, interceptors });
  return createClient(service, transport);
}
