export { usersService } from "./server.js";
