export { createGateway, type GatewayOptions, type RunningGateway } from "./gateway.js";
