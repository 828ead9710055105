export { portHandlers } from "./guard.js";
export { fromPortConnectError, toPortConnectError } from "./port-errors.js";
export { type EmbeddedStatePorts, registerEmbeddedState } from "./register-embedded-state.js";
export { RemoteLockService } from "./remote-lock-service.js";
export { RemoteStore } from "./remote-store.js";
export {
  connectEmbeddedState,
  type EmbeddedStateClientOptions,
  type EmbeddedStateConnection,
  embeddedStateClientOf,
} from "./state-transport.js";
