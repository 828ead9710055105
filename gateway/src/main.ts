import { createGateway } from "./gateway.js";

/* Runs the gateway from the process environment until SIGTERM or SIGINT; a second signal exits at once. */
const gateway = await createGateway({ env: process.env });
let stopping = false;
const onSignal = () => {
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
process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);
