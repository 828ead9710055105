import type { ConnectError, Interceptor } from "@connectrpc/connect";
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  TraceFlags,
  trace,
} from "@opentelemetry/api";
import { RandomIdGenerator } from "@opentelemetry/sdk-trace";
import { isServerFault } from "../../errors.js";
import { spansDiscarded } from "../../telemetry/tracing.js";
import { observeOutcome, outcomeCode } from "../call-outcome.js";

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

const headerSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

const ids = new RandomIdGenerator();

/**
 * The span the SDK would start under `parent` when nothing exports spans, without recording anything:
 * the same trace id (for logs and `traceparent`), a new span id and the parent-based sampling flag.
 * Recording and ending a span per call cost a tenth of a call's tracing and logging for nothing.
 */
function idOnlySpan(parent: Context): Span {
  const parentSpan = trace.getSpanContext(parent);
  const continued = parentSpan !== undefined && trace.isSpanContextValid(parentSpan);
  return trace.wrapSpanContext({
    traceId: continued ? parentSpan.traceId : ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: continued ? parentSpan.traceFlags & TraceFlags.SAMPLED : TraceFlags.SAMPLED,
    traceState: continued ? parentSpan.traceState : undefined,
  });
}

function endSpan(span: Span, error: ConnectError | undefined): void {
  span.setAttribute("rpc.connect_rpc.error_code", outcomeCode(error));
  if (error) {
    // An answer (not found, refused, ...) is told fully by its code and message, and formatting its stack
    // (through the source maps) cost more CPU than the rest of the call's tracing; a fault keeps its stack.
    span.recordException(
      isServerFault(error) ? error : { name: error.name, code: error.code, message: error.rawMessage },
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.rawMessage });
  }
  span.end();
}

/**
 * Server side: continues the caller's trace from `traceparent` and runs the handler inside the
 * server span, so logs and outgoing calls made while handling it belong to the same trace.
 */
export function tracingServerInterceptor(tracerName: string): Interceptor {
  const tracer = trace.getTracer(tracerName);
  return (next) => async (req) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.header, headerGetter);
    if (spansDiscarded()) return context.with(trace.setSpan(parent, idOnlySpan(parent)), () => next(req));
    const span = tracer.startSpan(
      `${req.service.typeName}/${req.method.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "rpc.system": "connect_rpc",
          "rpc.service": req.service.typeName,
          "rpc.method": req.method.name,
        },
      },
      parent,
    );
    return context.with(trace.setSpan(parent, span), () =>
      observeOutcome(
        () => next(req),
        (error) => endSpan(span, error),
      ),
    );
  };
}

/** Client side: opens a client span under the active context and sends it on as `traceparent`. */
export function tracingClientInterceptor(tracerName: string): Interceptor {
  const tracer = trace.getTracer(tracerName);
  return (next) => async (req) => {
    if (spansDiscarded()) {
      const idsOnly = trace.setSpan(context.active(), idOnlySpan(context.active()));
      propagation.inject(idsOnly, req.header, headerSetter);
      return context.with(idsOnly, () => next(req));
    }
    const span = tracer.startSpan(`${req.service.typeName}/${req.method.name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        "rpc.system": "connect_rpc",
        "rpc.service": req.service.typeName,
        "rpc.method": req.method.name,
      },
    });
    const spanContext = trace.setSpan(context.active(), span);
    propagation.inject(spanContext, req.header, headerSetter);
    return context.with(spanContext, () =>
      observeOutcome(
        () => next(req),
        (error) => endSpan(span, error),
      ),
    );
  };
}
