import { runService } from "@bourse/common";
import { marketMakerService } from "./server.js";

await runService(marketMakerService);
