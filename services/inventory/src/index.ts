export { createInventoryService, type InventoryOptions, inventoryService } from "./server.js";
