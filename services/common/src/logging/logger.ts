import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";
import pretty from "pino-pretty";
import { activeTraceId } from "../telemetry/tracing.js";

export type { Logger };

/** `json` for machines (containers, CI, pipes); `pretty` for a person at a terminal. */
export const logFormats = ["json", "pretty"] as const;
export type LogFormat = (typeof logFormats)[number];

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

/** Readable lines: time, level, service and message, then the fields on the same line. */
function prettyStream(destination: DestinationStream | number): DestinationStream {
  return pretty({
    sync: true,
    colorize: destination === 1 && pretty.isColorSupported,
    translateTime: "SYS:HH:MM:ss.l",
    messageFormat: "{service}: {msg}",
    ignore: "service",
    singleLine: true,
    destination,
  });
}

let prettyStdout: DestinationStream | undefined;

/**
 * One readable stream shared by every logger of the process, written synchronously so that lines of
 * services started together stay whole and in order, and nothing is lost on exit.
 */
function prettyDestination(destination: DestinationStream | undefined): DestinationStream {
  if (destination) return prettyStream(destination);
  prettyStdout ??= prettyStream(1);
  return prettyStdout;
}

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  readonly format?: LogFormat;
  /** Where lines go (JSON or readable, by `format`); stdout by default. Tests pass their own to read them. */
  readonly destination?: DestinationStream;
}

/** A pino logger that stamps every line with the active `trace_id`: JSON by default, or readable lines. */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { service },
    redact: { paths: redactedPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const traceId = activeTraceId();
      return traceId ? { trace_id: traceId } : {};
    },
  };
  const destination =
    options.format === "pretty" ? prettyDestination(options.destination) : options.destination;
  return destination ? pino(settings, destination) : pino(settings);
}
