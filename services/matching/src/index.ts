export { matchingService } from "./server.js";
