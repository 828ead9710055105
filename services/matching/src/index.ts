export { createMatchingService, type MatchingOptions, matchingService } from "./server.js";
