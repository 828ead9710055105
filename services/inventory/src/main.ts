import { runService } from "@bourse/common";
import { inventoryService } from "./server.js";

await runService(inventoryService);
