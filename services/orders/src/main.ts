import { runService } from "@bourse/common";
import { ordersService } from "./server.js";

await runService(ordersService);
