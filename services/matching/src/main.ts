import { runService } from "@bourse/common";
import { matchingService } from "./server.js";

await runService(matchingService);
