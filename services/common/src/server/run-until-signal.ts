/** Something that drains and stops: a running service, the gateway. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops `services` gracefully on SIGTERM or SIGINT (Ctrl-C) and then exits. A second signal
 * while draining exits at once. Returns the same stop, for other reasons to stop (the caller says
 * why, e.g. "launcher gone").
 */
export function stopOnSignals(
  services: () => readonly Stoppable[],
  log: (message: string) => void,
): (reason: string) => void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      log(`${reason} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${reason}: draining and stopping`);
    Promise.all(services().map((service) => service.stop())).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stop failed: ${(error as Error).stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM received"));
  process.on("SIGINT", () => stop("SIGINT received"));
  return stop;
}
