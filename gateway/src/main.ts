import { createGateway } from "./gateway.js";

/*
 * Runs the gateway from the process environment until SIGTERM or SIGINT; a second signal exits at once.
 * Under `npm start` the launcher holds an IPC channel to this process, which closes when the launcher
 * dies, however it dies: the gateway then stops too, instead of keeping the public ports.
 */
const launched = process.channel !== undefined;
const gateway = await createGateway({ env: process.env });
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
if (launched) {
  if (process.connected) process.once("disconnect", stop);
  else stop();
}
