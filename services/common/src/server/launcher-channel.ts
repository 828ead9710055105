import { closeSync, openSync } from "node:fs";
import { devNull } from "node:os";

/** How long the stop may take once the launcher is gone: the grace the launcher gives before SIGKILL. */
const STOP_DEADLINE_MS = 10_000;

/**
 * For a process that `npm start` runs: calls `stop` when the launcher goes away, however it goes (SIGKILL
 * included), which closes the IPC channel the launcher opened to it. Does nothing in a process started
 * without one (a container).
 *
 * Its stdout and stderr were pipes to the launcher, closed now: they are pointed at the null device first,
 * since a write to them would fail (EPIPE) and pino's flush at exit retries a failed write forever, which
 * would keep the process, and the ports of the processes it calls, alive. The stop then gets the grace the
 * launcher would have given it, after which the process exits anyway.
 */
export function stopWhenLauncherGoes(stop: (reason: string) => void): void {
  if (typeof process.send !== "function") return;
  const launcherGone = () => {
    discardOutput();
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    stop("launcher gone (IPC channel closed)");
  };
  if (process.connected) process.once("disconnect", launcherGone);
  else launcherGone();
}

/**
 * Reopens file descriptors 1 and 2 on the null device: `open` returns the lowest free descriptor, which is
 * the one just closed.
 */
function discardOutput(): void {
  for (const fd of [1, 2]) {
    closeSync(fd);
    openSync(devNull, "w");
  }
}
