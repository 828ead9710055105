import { type ConnectionSummary, useConnectionSummary } from "../api/connection.ts";

const labels: Readonly<Record<ConnectionSummary, string>> = {
  idle: "Connected",
  live: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  unreachable: "Unreachable",
  offline: "Offline",
};

/** Whether live data is flowing: announced politely to screen readers when it changes. */
export function ConnectionIndicator() {
  const summary = useConnectionSummary();
  return (
    <output className={`connection connection-${summary}`} aria-live="polite" aria-label="Connection">
      <span className="connection-dot" aria-hidden="true" />
      {labels[summary]}
    </output>
  );
}
