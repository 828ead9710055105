export { argon2Parameters } from "./auth/password-hasher.js";
export { createUsersService, type UsersOptions, usersService } from "./server.js";
