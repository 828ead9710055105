import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export interface TracingOptions {
  /** `service.name` of the process; when several services share a process, the launcher's name. */
  serviceName: string;
  /** OTLP/HTTP base URL; spans are exported only when it is set. */
  otlpEndpoint?: string | undefined;
  /** Extra exporter, used by tests to capture spans in memory. */
  exporter?: SpanExporter;
}

let provider: TracerProvider | undefined;
let exporting = false;

/**
 * Installs the process-wide tracer provider, AsyncLocalStorage context and the W3C `traceparent`
 * propagator. Trace ids are generated even without an exporter, so logs can always carry one.
 * The first call wins; later calls return the same provider.
 */
export function initTracing(options: TracingOptions): TracerProvider {
  if (provider) return provider;
  const spanProcessors: SpanProcessor[] = [];
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/$/, "")}/v1/traces`;
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  }
  if (options.exporter)
    spanProcessors.push(new BatchSpanProcessor({ exporter: options.exporter, scheduledDelayMillis: 10 }));
  exporting = spanProcessors.length > 0;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/**
 * Whether tracing is installed but no span leaves the process: spans then only carry ids (for logs and
 * `traceparent`), and callers may skip recording them.
 */
export function spansDiscarded(): boolean {
  return provider !== undefined && !exporting;
}

/** Flushes pending spans; called during shutdown. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** The trace id of the active span, if any. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
