import { runService } from "@bourse/common";
import { usersService } from "./server.js";

await runService(usersService);
