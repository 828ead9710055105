export { inventoryService } from "./server.js";
