import { ConfigError, stopWhenLauncherGoes } from "@bourse/common";
import { createGateway, type RunningGateway } from "./gateway.js";

/*
 * Runs the gateway from the process environment until SIGTERM or SIGINT; a second signal exits at once.
 * Under `npm start` it also stops when the launcher goes away, instead of keeping the public ports. A bad
 * configuration exits with code 2 and a message naming each bad variable, as a service does.
 */
let gateway: RunningGateway;
try {
  gateway = await createGateway({ env: process.env });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  gateway.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("gateway: stop failed", error);
      process.exit(1);
    },
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
stopWhenLauncherGoes(stop);
