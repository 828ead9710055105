import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { parseTimeout as parseConnectTimeout } from "@connectrpc/connect/protocol-connect";
import { parseTimeout as parseGrpcTimeout } from "@connectrpc/connect/protocol-grpc";
import { currentCallContext, runWithCallContext } from "../call-context.js";

const maxTimeoutMs = 2 ** 31 - 1;

function requestedTimeoutMs(header: Headers): number | undefined {
  const grpc = header.get("grpc-timeout");
  if (grpc !== null) return parseGrpcTimeout(grpc, maxTimeoutMs).timeoutMs;
  const connect = header.get("connect-timeout-ms");
  if (connect !== null) return parseConnectTimeout(connect, maxTimeoutMs).timeoutMs;
  return undefined;
}

export interface DeadlineLimits {
  /** For calls that arrive without a deadline. */
  readonly defaultMs: number;
  /** The longest a unary call may ask for: a longer deadline is cut to this one. */
  readonly maxMs: number;
}

/**
 * Server side: gives every call a deadline (the caller's, or the default) and makes it visible to
 * the calls the handler makes. A unary call is failed with `deadline_exceeded` once its deadline has
 * passed, however long the caller offered to wait: a client cannot hold a slot for a day. Streams
 * live until either side ends them, so only their default applies.
 */
export function deadlineServerInterceptor(limits: DeadlineLimits): Interceptor {
  return (next) => async (req) => {
    const requested = requestedTimeoutMs(req.header);
    if (req.stream) {
      const deadline = Date.now() + (requested ?? limits.defaultMs);
      return runWithCallContext({ deadline, signal: req.signal }, () => next(req));
    }
    const timeoutMs = Math.min(requested ?? limits.defaultMs, limits.maxMs);
    const deadline = Date.now() + timeoutMs;
    const run = () => runWithCallContext({ deadline, signal: req.signal }, () => next(req));
    // Connect itself enforces a caller's deadline; only the default and the cut need a timer here.
    if (requested !== undefined && requested <= limits.maxMs) return run();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectError(`no answer within ${timeoutMs} ms`, Code.DeadlineExceeded)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([run(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Client side: an outgoing call made while handling an incoming one inherits what is left of
 * its deadline and is canceled with it, unless the caller set a shorter timeout itself.
 */
export function deadlineClientInterceptor(): Interceptor {
  return (next) => async (req) => {
    const parent = currentCallContext();
    if (!parent) return next(req);
    const remainingMs = parent.deadline - Date.now();
    if (remainingMs <= 0) {
      throw new ConnectError("the incoming call's deadline has passed", Code.DeadlineExceeded);
    }
    const own = requestedTimeoutMs(req.header);
    if (own === undefined || own > remainingMs) {
      req.header.set("grpc-timeout", `${Math.ceil(remainingMs)}m`);
    }
    const signal = AbortSignal.any([req.signal, parent.signal, AbortSignal.timeout(remainingMs)]);
    return next({ ...req, signal });
  };
}
