/** Something that drains and stops: a running service, the gateway. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops `services` gracefully on SIGTERM or SIGINT (Ctrl-C) and then exits. A second signal
 * while draining exits at once.
 */
export function stopOnSignals(services: () => readonly Stoppable[], log: (message: string) => void): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal} received: draining and stopping`);
    Promise.all(services().map((service) => service.stop())).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stop failed: ${(error as Error).stack ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
