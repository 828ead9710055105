import { type LevelWithSilent, type Logger, pino } from "pino";
import { activeTraceId } from "../telemetry/tracing.js";

export type { Logger };

/** Field paths that must never reach a log line. */
const redactedPaths = [
  "password",
  "*.password",
  "newPassword",
  "*.newPassword",
  "refreshToken",
  "*.refreshToken",
  "accessToken",
  "*.accessToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
];

/** A pino JSON logger that stamps every line with the active `trace_id`. */
export function createLogger(service: string, level: LevelWithSilent = "info"): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const traceId = activeTraceId();
      return traceId ? { trace_id: traceId } : {};
    },
  });
}
