export { ordersService } from "./server.js";
