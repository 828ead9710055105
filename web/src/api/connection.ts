import { useSyncExternalStore } from "react";

/** How one live stream is doing. */
export type StreamState = "connecting" | "live" | "reconnecting" | "failed";

/** What the connection indicator shows: the worst state of the open streams, and whether the browser is online. */
export type ConnectionSummary = "idle" | "live" | "connecting" | "reconnecting" | "offline";

const streams = new Map<symbol, StreamState>();
const listeners = new Set<() => void>();
let summary: ConnectionSummary = "idle";

function summarise(): ConnectionSummary {
  if (typeof navigator !== "undefined" && !navigator.onLine) return "offline";
  const states = [...streams.values()];
  if (states.some((state) => state === "reconnecting")) return "reconnecting";
  if (states.some((state) => state === "connecting")) return "connecting";
  return states.length > 0 ? "live" : "idle";
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
  if (state && state !== "failed") streams.set(stream, state);
  else streams.delete(stream);
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
