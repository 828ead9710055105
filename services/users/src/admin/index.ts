export { type RoleChange, setRoleByEmail } from "./admin-role.js";
