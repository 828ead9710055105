import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useRef, useState } from "react";
import { reportStreamState, type StreamState } from "./connection.ts";
import { describeError } from "./errors.ts";
import { refreshSession } from "./session.ts";

export type { StreamState } from "./connection.ts";

export interface StreamHandlers<Message> {
  /**
   * Opens the stream, passing the options on to the client call, e.g.
   * `(options) => api(MarketDataService).streamTrades({ market }, options)`. Called again on every reconnect.
   */
  open(options: CallOptions): AsyncIterable<Message>;
  /**
   * Called when a connection is established, before its first message. A consumer that builds its state from
   * a snapshot followed by updates (the order book) discards that state here: the stream starts over.
   */
  onConnect?(): void;
  onMessage(message: Message): void;
  /** The stream's state, with a readable reason once it failed for good. */
  onState?(state: StreamState, error?: string): void;
  /**
   * The server sends nothing until there is something to tell (StreamTrades on a quiet market), and a Connect
   * server sends a stream's response headers only with its first message: such a stream cannot be seen to
   * connect. It counts for the connection indicator only once it speaks, or while it waits to reconnect after
   * a failure, instead of showing "Connecting…" for as long as the market stays quiet.
   */
  silentUntilEvent?: boolean;
}

/** Requests that no retry can fix: reconnecting would fail the same way. */
const permanentCodes: ReadonlySet<Code> = new Set([
  Code.InvalidArgument,
  Code.NotFound,
  Code.PermissionDenied,
  Code.Unimplemented,
]);

const firstRetryDelay = 500;
const maxRetryDelay = 30_000;

/** Exponential backoff with jitter, so that clients cut off together do not all come back in the same instant. */
function retryDelay(attempt: number): number {
  const ceiling = Math.min(maxRetryDelay, firstRetryDelay * 2 ** (attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs a server stream until stopped: it reconnects with exponential backoff whenever the stream ends or
 * fails, refreshes the session once when the server says the token expired, and gives up only on a request
 * that can never succeed. Returns the function that stops it.
 */
export function runStream<Message>(handlers: StreamHandlers<Message>): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const id = Symbol("stream");
  let last: StreamState | undefined;
  /** `opening`: the stream was just (re)opened and has not spoken yet. */
  const setState = (state: StreamState, error?: string, opening = false) => {
    if (signal.aborted) return;
    reportStreamState(id, handlers.silentUntilEvent && opening ? undefined : state);
    if (state === last) return;
    last = state;
    handlers.onState?.(state, error);
  };

  const run = async () => {
    let attempt = 0;
    while (!signal.aborted) {
      setState(attempt === 0 ? "connecting" : "reconnecting", undefined, true);
      let connected = false;
      const markConnected = () => {
        if (connected || signal.aborted) return;
        connected = true;
        attempt = 0;
        setState("live");
        handlers.onConnect?.();
      };
      let failure: ConnectError | undefined;
      try {
        for await (const message of handlers.open({ signal, onHeader: markConnected })) {
          markConnected();
          handlers.onMessage(message);
        }
      } catch (error) {
        failure = ConnectError.from(error);
      }
      if (signal.aborted) return;
      if (failure && permanentCodes.has(failure.code)) {
        setState("failed", describeError(failure));
        return;
      }
      if (failure?.code === Code.Unauthenticated && !(await refreshSession())) {
        setState("failed", describeError(failure));
        return;
      }
      attempt += 1;
      setState("reconnecting");
      await sleep(retryDelay(attempt), signal);
    }
  };
  void run();

  return () => {
    controller.abort();
    reportStreamState(id, undefined);
  };
}

/**
 * Runs a server stream while the component is mounted and `key` is not null (a null key: "paused"); a new
 * key (another market) restarts it. The handlers may change on every render: the latest ones are used. Returns the stream's state
 * and, once it failed for good, a readable reason.
 */
export function useStream<Message>(
  key: string | null,
  handlers: StreamHandlers<Message>,
): { state: StreamState; error: string | undefined } {
  const latest = useRef(handlers);
  latest.current = handlers;
  const [status, setStatus] = useState<{ state: StreamState; error: string | undefined }>({
    state: "connecting",
    error: undefined,
  });

  useEffect(() => {
    if (key === null) return;
    return runStream<Message>({
      open: (options) => latest.current.open(options),
      onConnect: () => latest.current.onConnect?.(),
      onMessage: (message) => latest.current.onMessage(message),
      onState: (state, error) => setStatus({ state, error }),
      silentUntilEvent: latest.current.silentUntilEvent,
    });
  }, [key]);

  return key === null ? { state: "paused", error: undefined } : status;
}
