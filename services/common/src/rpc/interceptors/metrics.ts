import type { Interceptor } from "@connectrpc/connect";
import type { RpcMetrics } from "../../metrics/registry.js";
import { observeOutcome, outcomeCode } from "../call-outcome.js";

/** Counts every handled RPC and times it, labelled by service, method and Connect code. */
export function metricsServerInterceptor(metrics: RpcMetrics): Interceptor {
  return (next) => async (req) => {
    const stopTimer = metrics.serverDuration.startTimer();
    return observeOutcome(
      () => next(req),
      (error) => {
        const labels = { service: req.service.typeName, method: req.method.name, code: outcomeCode(error) };
        metrics.serverRequests.inc(labels);
        stopTimer(labels);
      },
    );
  };
}

/** The caller's view of the same: counts and times outgoing RPCs. */
export function metricsClientInterceptor(metrics: RpcMetrics): Interceptor {
  return (next) => async (req) => {
    const stopTimer = metrics.clientDuration.startTimer();
    return observeOutcome(
      () => next(req),
      (error) => {
        const labels = { service: req.service.typeName, method: req.method.name, code: outcomeCode(error) };
        metrics.clientRequests.inc(labels);
        stopTimer(labels);
      },
    );
  };
}
