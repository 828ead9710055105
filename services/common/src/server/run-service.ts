import { ConfigError } from "../config/env.js";
import { stopWhenLauncherGoes } from "./launcher-channel.js";
import { stopOnSignals } from "./run-until-signal.js";
import { type RunningService, type ServiceDefinition, startService } from "./start-service.js";

/**
 * Entry point of a service running as its own process (one container per service): starts it
 * from `process.env` and stops it gracefully on SIGTERM, or when the launcher that spawned it with
 * an IPC channel goes away. A bad configuration exits with code 2 and a message naming each bad
 * variable.
 */
export async function runService(definition: ServiceDefinition): Promise<RunningService> {
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
  stopWhenLauncherGoes(stop);
  return service;
}
