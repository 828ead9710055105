import { ConfigError } from "../config/env.js";
import { stopOnSignals } from "./run-until-signal.js";
import { type RunningService, type ServiceDefinition, startService } from "./start-service.js";

/**
 * Entry point of a service running as its own process (one container per service): starts it
 * from `process.env` and stops it gracefully on SIGTERM, or when the launcher that spawned it with
 * an IPC channel goes away. A bad configuration exits with code 2 and a message naming each bad
 * variable.
 */
export async function runService(definition: ServiceDefinition): Promise<RunningService> {
  const launched = process.channel !== undefined;
  let service: RunningService;
  try {
    service = await startService(definition);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const stop = stopOnSignals(
    () => [service],
    (message) => service.logger.info(message),
  );
  // Under `npm start` the launcher holds an IPC channel to this process, which closes when the
  // launcher dies, however it dies (SIGKILL included): a service left behind would keep its ports.
  if (launched) {
    const launcherGone = () => stop("launcher gone (IPC channel closed)");
    if (process.connected) process.once("disconnect", launcherGone);
    else launcherGone();
  }
  return service;
}
