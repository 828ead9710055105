import { useSyncExternalStore } from "react";

/** How one live stream is doing; "paused" while it is not wanted (useStream with a null key). */
export type StreamState = "paused" | "connecting" | "live" | "reconnecting" | "failed";

/**
 * What the connection indicator shows: whether the browser is online, the worst state of the open streams,
 * and, with no stream open, whether the last call reached the exchange.
 */
export type ConnectionSummary = "idle" | "live" | "connecting" | "reconnecting" | "unreachable" | "offline";

const streams = new Map<symbol, StreamState>();
const listeners = new Set<() => void>();
let summary: ConnectionSummary = "idle";
let lastCallReached = true;

function summarise(): ConnectionSummary {
  if (typeof navigator !== "undefined" && !navigator.onLine) return "offline";
  const states = [...streams.values()];
  if (states.some((state) => state === "reconnecting")) return "reconnecting";
  if (states.some((state) => state === "connecting")) return "connecting";
  if (states.length > 0) return "live";
  return lastCallReached ? "idle" : "unreachable";
}

function update(): void {
  const next = summarise();
  if (next === summary) return;
  summary = next;
  for (const listener of listeners) listener();
}

/**
 * Records a stream's state for the connection indicator; undefined when it closed. A stream that failed for
 * good (bad request, no permission) says nothing about the connection, so it counts as closed.
 */
export function reportStreamState(stream: symbol, state: StreamState | undefined): void {
  if (state && state !== "failed" && state !== "paused") streams.set(stream, state);
  else streams.delete(stream);
  update();
}

/** Records whether a call got an answer from the exchange (any answer, even an error) or could not reach it. */
export function reportCallReached(reached: boolean): void {
  if (reached === lastCallReached) return;
  lastCallReached = reached;
  update();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("online", update);
    window.removeEventListener("offline", update);
  };
}

/** The app's connection summary, re-rendering when it changes. */
export function useConnectionSummary(): ConnectionSummary {
  return useSyncExternalStore(subscribe, () => summary);
}
